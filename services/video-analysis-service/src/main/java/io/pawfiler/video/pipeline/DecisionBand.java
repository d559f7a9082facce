package io.pawfiler.video.pipeline;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The verdict rules, all in one place. A video is
 * <ul>
 *   <li>{@code INCONCLUSIVE / no_face} when no face was found;</li>
 *   <li>{@code FAKE / above_fake_bound} when its calibrated probability of "fake" is at or above
 *       {@code fakeAtOrAbove};</li>
 *   <li>{@code REAL / below_real_bound} when it is at or below {@code realAtOrBelow};</li>
 *   <li>{@code INCONCLUSIVE / low_confidence} otherwise, in particular always when both sides are empty.</li>
 * </ul>
 * Either bound may be absent (NaN): that side of the band is empty and that verdict is never given. The bounds come
 * from the scorer's manifest ({@code decision} block), where {@code train_sbi.py} chose them from measured held-out
 * error rates (FAKE only where genuine faces were called fake at most at the stated rate, REAL only where fakes were
 * missed at most at the stated rate); see {@code tools/models/MODEL_CARD-deepfake-scorer.md}.
 *
 * @param fakeAtOrAbove lowest calibrated probability that is FAKE, or NaN for "never FAKE"
 * @param realAtOrBelow highest calibrated probability that is REAL, or NaN for "never REAL"
 */
public record DecisionBand(double fakeAtOrAbove, double realAtOrBelow) {

    /** Why a verdict was given; the wire value is {@link #code()}. */
    public enum Reason {
        NO_FACE("no_face"),
        LOW_CONFIDENCE("low_confidence"),
        ABOVE_FAKE_BOUND("above_fake_bound"),
        BELOW_REAL_BOUND("below_real_bound");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public record Decision(DeepfakePipeline.Verdict verdict, Reason reason) {
    }

    /** Both sides empty: every video with a face is INCONCLUSIVE / low_confidence. */
    public static final DecisionBand EMPTY = new DecisionBand(Double.NaN, Double.NaN);

    public DecisionBand {
        if (!Double.isNaN(fakeAtOrAbove) && (fakeAtOrAbove < 0 || fakeAtOrAbove > 1)) {
            throw new IllegalArgumentException("fake bound outside [0,1]: " + fakeAtOrAbove);
        }
        if (!Double.isNaN(realAtOrBelow) && (realAtOrBelow < 0 || realAtOrBelow > 1)) {
            throw new IllegalArgumentException("real bound outside [0,1]: " + realAtOrBelow);
        }
        if (!Double.isNaN(fakeAtOrAbove) && !Double.isNaN(realAtOrBelow) && realAtOrBelow >= fakeAtOrAbove) {
            throw new IllegalArgumentException("the real bound " + realAtOrBelow + " must lie below the fake bound "
                    + fakeAtOrAbove);
        }
    }

    public boolean hasFakeSide() {
        return !Double.isNaN(fakeAtOrAbove);
    }

    public boolean hasRealSide() {
        return !Double.isNaN(realAtOrBelow);
    }

    /**
     * @param facesFound            faces scored in the video
     * @param calibratedProbability the video's calibrated probability of "fake" (ignored when no face was found)
     */
    public Decision decide(int facesFound, double calibratedProbability) {
        if (facesFound <= 0) {
            return new Decision(DeepfakePipeline.Verdict.INCONCLUSIVE, Reason.NO_FACE);
        }
        if (Double.isNaN(calibratedProbability)) {
            throw new IllegalArgumentException("a video with faces needs a probability");
        }
        if (hasFakeSide() && calibratedProbability >= fakeAtOrAbove) {
            return new Decision(DeepfakePipeline.Verdict.FAKE, Reason.ABOVE_FAKE_BOUND);
        }
        if (hasRealSide() && calibratedProbability <= realAtOrBelow) {
            return new Decision(DeepfakePipeline.Verdict.REAL, Reason.BELOW_REAL_BOUND);
        }
        return new Decision(DeepfakePipeline.Verdict.INCONCLUSIVE, Reason.LOW_CONFIDENCE);
    }

    /**
     * From the manifest's {@code decision} block: {@code fakeAtOrAbove} / {@code realAtOrBelow}, each a number or
     * {@code null} (empty side). A manifest without the block gives {@link #EMPTY}: an uncalibrated model is never
     * allowed to say FAKE or REAL.
     */
    public static DecisionBand fromJson(JsonObject block) {
        if (block == null) {
            return EMPTY;
        }
        return new DecisionBand(bound(block, "fakeAtOrAbove"), bound(block, "realAtOrBelow"));
    }

    private static double bound(JsonObject block, String key) {
        return block.containsKey(key) && block.get(key).getValueType() == JsonValue.ValueType.NUMBER
                ? block.getJsonNumber(key).doubleValue() : Double.NaN;
    }
}
