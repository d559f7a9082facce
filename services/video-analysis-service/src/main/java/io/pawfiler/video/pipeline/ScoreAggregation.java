package io.pawfiler.video.pipeline;

import java.util.Arrays;

/**
 * Per-face scores to one video score.
 * <ul>
 *   <li>{@code MEAN}: the average.</li>
 *   <li>{@code CONFIDENT} (the DFDC winner's strategy): if enough faces score above 0.8, average those (a fake shows
 *       in a minority of frames); else if 90% score below 0.2, average those; else the plain mean.</li>
 * </ul>
 */
public enum ScoreAggregation {
    MEAN, CONFIDENT;

    static final double HIGH = 0.8;
    static final double LOW = 0.2;
    /** "Enough" high scores: more than this share of the faces. */
    static final double HIGH_SHARE = 1.0 / 11;
    static final double LOW_SHARE = 0.9;

    public double aggregate(double[] scores) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("no scores");
        }
        double mean = Arrays.stream(scores).average().orElseThrow();
        if (this == MEAN) {
            return mean;
        }
        double[] high = Arrays.stream(scores).filter(s -> s > HIGH).toArray();
        if (high.length > scores.length * HIGH_SHARE) {
            return Arrays.stream(high).average().orElseThrow();
        }
        double[] low = Arrays.stream(scores).filter(s -> s < LOW).toArray();
        if (low.length > scores.length * LOW_SHARE) {
            return Arrays.stream(low).average().orElseThrow();
        }
        return mean;
    }
}
