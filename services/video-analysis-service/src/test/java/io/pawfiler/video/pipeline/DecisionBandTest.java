package io.pawfiler.video.pipeline;

import org.junit.jupiter.api.Test;

import io.pawfiler.video.pipeline.DecisionBand.Decision;
import io.pawfiler.video.pipeline.DecisionBand.Reason;
import io.pawfiler.video.pipeline.DeepfakePipeline.Verdict;

import static io.pawfiler.video.pipeline.CalibrationTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionBandTest {

    private static final DecisionBand BAND = new DecisionBand(0.7, 0.3);

    @Test
    void fakeOnlyAtOrAboveTheUpperBoundRealOnlyAtOrBelowTheLowerBound() {
        assertEquals(new Decision(Verdict.FAKE, Reason.ABOVE_FAKE_BOUND), BAND.decide(12, 0.7));
        assertEquals(new Decision(Verdict.FAKE, Reason.ABOVE_FAKE_BOUND), BAND.decide(12, 0.99));
        assertEquals(new Decision(Verdict.INCONCLUSIVE, Reason.LOW_CONFIDENCE), BAND.decide(12, Math.nextDown(0.7)));
        assertEquals(new Decision(Verdict.INCONCLUSIVE, Reason.LOW_CONFIDENCE), BAND.decide(12, 0.5));
        assertEquals(new Decision(Verdict.INCONCLUSIVE, Reason.LOW_CONFIDENCE), BAND.decide(12, Math.nextUp(0.3)));
        assertEquals(new Decision(Verdict.REAL, Reason.BELOW_REAL_BOUND), BAND.decide(12, 0.3));
        assertEquals(new Decision(Verdict.REAL, Reason.BELOW_REAL_BOUND), BAND.decide(1, 0.0));
    }

    @Test
    void noFaceIsInconclusiveWhateverTheBand() {
        for (DecisionBand band : new DecisionBand[] {BAND, DecisionBand.EMPTY, new DecisionBand(0.5, Double.NaN)}) {
            assertEquals(new Decision(Verdict.INCONCLUSIVE, Reason.NO_FACE), band.decide(0, Double.NaN));
        }
        assertEquals("no_face", Reason.NO_FACE.code());
        assertEquals("low_confidence", Reason.LOW_CONFIDENCE.code());
    }

    @Test
    void anEmptyBandIsAlwaysInconclusiveLowConfidence() {
        assertFalse(DecisionBand.EMPTY.hasFakeSide());
        assertFalse(DecisionBand.EMPTY.hasRealSide());
        for (double p : new double[] {0.0, 0.01, 0.5, 0.87, 1.0}) {
            assertEquals(new Decision(Verdict.INCONCLUSIVE, Reason.LOW_CONFIDENCE), DecisionBand.EMPTY.decide(32, p),
                    "p " + p);
        }
    }

    @Test
    void oneEmptySideNeverGivesThatVerdict() {
        DecisionBand onlyReal = new DecisionBand(Double.NaN, 0.4);
        assertEquals(Verdict.INCONCLUSIVE, onlyReal.decide(5, 1.0).verdict());
        assertEquals(Verdict.REAL, onlyReal.decide(5, 0.4).verdict());
        DecisionBand onlyFake = new DecisionBand(0.9, Double.NaN);
        assertEquals(Verdict.INCONCLUSIVE, onlyFake.decide(5, 0.0).verdict());
        assertEquals(Verdict.FAKE, onlyFake.decide(5, 0.9).verdict());
    }

    @Test
    void inconsistentBandsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DecisionBand(0.4, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new DecisionBand(0.5, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new DecisionBand(1.2, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new DecisionBand(Double.NaN, -0.1));
        assertThrows(IllegalArgumentException.class, () -> BAND.decide(3, Double.NaN));
    }

    @Test
    void readFromTheManifestBlockWithNullForAnEmptySide() {
        DecisionBand band = DecisionBand.fromJson(json("{\"fakeAtOrAbove\":null,\"realAtOrBelow\":0.42}"));
        assertFalse(band.hasFakeSide());
        assertTrue(band.hasRealSide());
        assertEquals(0.42, band.realAtOrBelow(), 0);
        DecisionBand both = DecisionBand.fromJson(json("{\"fakeAtOrAbove\":0.8,\"realAtOrBelow\":0.2}"));
        assertEquals(Verdict.FAKE, both.decide(1, 0.8).verdict());
        // no block (an uncalibrated model): never FAKE, never REAL
        DecisionBand none = DecisionBand.fromJson(null);
        assertEquals(DecisionBand.EMPTY, none);
        assertEquals(Verdict.INCONCLUSIVE, none.decide(10, 0.99).verdict());
    }
}
