package io.pawfiler.video.pipeline;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Scores face crops with any ONNX classifier described by a manifest: the output is a logit, a probability, or
 * softmax logits with the "fake" column named by {@code fakeIndex}. All crops of a video go in one batch.
 * The manifest also carries the model's {@link Calibration} (raw to calibrated probability), the
 * {@link DecisionBand} chosen from its measured held-out error rates, and its measured held-out AUC.
 */
public final class DeepfakeScorer implements AutoCloseable {

    private final ModelManifest manifest;
    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String kind;
    private final int fakeIndex;
    private final Calibration calibration;
    private final DecisionBand band;
    private final double heldoutAuc;

    public DeepfakeScorer(ModelManifest manifest) {
        this.manifest = manifest;
        this.calibration = Calibration.fromJson(manifest.json().getJsonObject("calibration"));
        this.band = DecisionBand.fromJson(manifest.json().getJsonObject("decision"));
        this.heldoutAuc = heldoutAuc(manifest.json().getJsonObject("calibration"));
        this.kind = manifest.output().getString("kind", "logit");
        this.fakeIndex = manifest.output().getInt("fakeIndex", 0);
        if (!List.of("logit", "probability", "softmax-logits").contains(kind)) {
            throw new IllegalArgumentException("unknown scorer output kind " + kind);
        }
        try {
            this.session = environment.createSession(manifest.model(), Onnx.options());
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load deepfake scorer " + manifest.version(), e);
        }
    }

    public String version() {
        return manifest.version();
    }

    public double faceMargin() {
        return manifest.faceMargin();
    }

    /** Raw probability of one crop to calibrated probability; identity when the manifest has no calibration. */
    public Calibration calibration() {
        return calibration;
    }

    /** The verdict band; {@link DecisionBand#EMPTY} when the manifest has none (never FAKE, never REAL). */
    public DecisionBand band() {
        return band;
    }

    /** The model's ROC AUC measured on held-out faces ({@code calibration.measured.heldoutAuc}); NaN if unknown. */
    public double heldoutAuc() {
        return heldoutAuc;
    }

    private static double heldoutAuc(jakarta.json.JsonObject calibration) {
        if (calibration == null || !(calibration.get("measured") instanceof jakarta.json.JsonObject measured)
                || !(measured.get("heldoutAuc") instanceof jakarta.json.JsonNumber auc)) {
            return Double.NaN;
        }
        return auc.doubleValue();
    }

    /**
     * The face around {@code box} with the manifest's margin on every side, resized isotropically and padded
     * (black) to the model's input.
     */
    public RgbImage cropFace(RgbImage frame, FaceBox box) {
        double mx = box.width() * faceMargin();
        double my = box.height() * faceMargin();
        RgbImage face = frame.crop((int) Math.floor(box.x0() - mx), (int) Math.floor(box.y0() - my),
                (int) Math.ceil(box.x1() + mx), (int) Math.ceil(box.y1() + my));
        ModelManifest.Input input = manifest.input();
        if (input.width() != input.height()) {
            return face.resized(input.width(), input.height());
        }
        return face.letterboxed(input.width()).canvas();
    }

    /** Raw (uncalibrated) probability that each crop (already at the model's input size) is fake, in [0,1]. */
    public double[] score(List<RgbImage> crops) {
        if (crops.isEmpty()) {
            return new double[0];
        }
        ModelManifest.Input input = manifest.input();
        float[] tensor = new float[crops.size() * input.size()];
        for (int i = 0; i < crops.size(); i++) {
            RgbImage crop = crops.get(i);
            if (crop.width() != input.width() || crop.height() != input.height()) {
                crop = crop.resized(input.width(), input.height());
            }
            input.write(crop, tensor, i * input.size());
        }
        try (OnnxTensor batch = OnnxTensor.createTensor(environment, FloatBuffer.wrap(tensor), input.shape(crops.size()));
             OrtSession.Result result = session.run(Map.of(input.name(), batch))) {
            Object value = result.get(0).getValue();
            double[] probabilities = new double[crops.size()];
            for (int i = 0; i < crops.size(); i++) {
                probabilities[i] = probability(value, i);
            }
            return probabilities;
        } catch (OrtException e) {
            throw new IllegalStateException("deepfake scoring failed", e);
        }
    }

    private double probability(Object output, int row) {
        if (output instanceof float[] flat) {
            return kind.equals("probability") ? flat[row] : FaceDetector.sigmoid(flat[row]);
        }
        float[] values = ((float[][]) output)[row];
        return switch (kind) {
            case "probability" -> values[values.length == 1 ? 0 : fakeIndex];
            case "logit" -> FaceDetector.sigmoid(values[values.length == 1 ? 0 : fakeIndex]);
            default -> {
                double max = Double.NEGATIVE_INFINITY;
                for (float v : values) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (float v : values) {
                    sum += Math.exp(v - max);
                }
                yield Math.exp(values[fakeIndex] - max) / sum;
            }
        };
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
