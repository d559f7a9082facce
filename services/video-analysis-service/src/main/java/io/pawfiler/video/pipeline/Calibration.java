package io.pawfiler.video.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Maps the scorer's raw probability of "fake" for one face crop to a calibrated probability, fitted on held-out
 * data by {@code tools/models/deepfake_scorer/train_sbi.py} and stored in the manifest's {@code calibration} block.
 * <ul>
 *   <li>{@code platt}: {@code p = sigmoid(a * logit(raw) + b)} (Platt scaling on the model's logit);</li>
 *   <li>{@code isotonic}: a non-decreasing step function given by breakpoints {@code x} (raw probabilities,
 *       ascending) and {@code y} (calibrated values), linearly interpolated between breakpoints and constant
 *       outside them;</li>
 *   <li>{@code identity}: the raw probability (a manifest without a calibration block).</li>
 * </ul>
 * Pure: no I/O, no state.
 */
public record Calibration(Method method, double a, double b, double[] x, double[] y) {

    public enum Method { IDENTITY, PLATT, ISOTONIC }

    /** Raw probabilities are clamped to [EPS, 1-EPS] before taking the logit, so 0 and 1 stay finite. */
    static final double EPS = 1e-7;

    public static final Calibration IDENTITY = new Calibration(Method.IDENTITY, 1, 0, new double[0], new double[0]);

    public Calibration {
        if (method == Method.ISOTONIC) {
            if (x.length == 0 || x.length != y.length) {
                throw new IllegalArgumentException("isotonic calibration needs as many x as y breakpoints, at least one");
            }
            for (int i = 1; i < x.length; i++) {
                if (x[i] < x[i - 1] || y[i] < y[i - 1]) {
                    throw new IllegalArgumentException("isotonic breakpoints must be non-decreasing in x and y");
                }
            }
            for (double v : y) {
                if (v < 0 || v > 1) {
                    throw new IllegalArgumentException("isotonic y outside [0,1]: " + v);
                }
            }
        }
        if (method == Method.PLATT && !(Double.isFinite(a) && Double.isFinite(b))) {
            throw new IllegalArgumentException("Platt parameters must be finite");
        }
        x = x.clone();
        y = y.clone();
    }

    public static Calibration platt(double a, double b) {
        return new Calibration(Method.PLATT, a, b, new double[0], new double[0]);
    }

    public static Calibration isotonic(double[] x, double[] y) {
        return new Calibration(Method.ISOTONIC, 1, 0, x, y);
    }

    /** The calibrated probability of "fake" for a raw probability in [0,1]; NaN stays NaN. */
    public double apply(double raw) {
        if (Double.isNaN(raw)) {
            return Double.NaN;
        }
        return switch (method) {
            case IDENTITY -> raw;
            case PLATT -> sigmoid(a * logit(raw) + b);
            case ISOTONIC -> interpolate(raw);
        };
    }

    public double[] apply(double[] raw) {
        return Arrays.stream(raw).map(this::apply).toArray();
    }

    static double logit(double p) {
        double q = Math.min(1 - EPS, Math.max(EPS, p));
        return Math.log(q / (1 - q));
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    private double interpolate(double raw) {
        if (raw <= x[0]) {
            return y[0];
        }
        int last = x.length - 1;
        if (raw >= x[last]) {
            return y[last];
        }
        int i = Arrays.binarySearch(x, raw);
        if (i >= 0) {
            // equal x breakpoints (a vertical step): take the upper value, as scikit-learn's isotonic does on ties
            while (i < last && x[i + 1] == raw) {
                i++;
            }
            return y[i];
        }
        int hi = -i - 1;
        int lo = hi - 1;
        double t = (raw - x[lo]) / (x[hi] - x[lo]);
        return y[lo] + t * (y[hi] - y[lo]);
    }

    /** From the manifest's {@code calibration} block; {@link #IDENTITY} when the block is absent. */
    public static Calibration fromJson(JsonObject block) {
        if (block == null) {
            return IDENTITY;
        }
        String method = block.getString("method", "identity").toLowerCase(Locale.ROOT);
        return switch (method) {
            case "identity" -> IDENTITY;
            case "platt" -> platt(block.getJsonNumber("a").doubleValue(), block.getJsonNumber("b").doubleValue());
            case "isotonic" -> isotonic(doubles(block.getJsonArray("x")), doubles(block.getJsonArray("y")));
            default -> throw new IllegalArgumentException("unknown calibration method " + method);
        };
    }

    static double[] doubles(JsonArray array) {
        List<JsonValue> values = array;
        return values.stream().mapToDouble(v -> ((JsonNumber) v).doubleValue()).toArray();
    }

    @Override
    public String toString() {
        return switch (method) {
            case IDENTITY -> "identity";
            case PLATT -> String.format(Locale.ROOT, "platt(a=%.4f, b=%.4f)", a, b);
            case ISOTONIC -> "isotonic(" + x.length + " breakpoints)";
        };
    }
}
