package io.pawfiler.video.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pawfiler.api.video.DeepfakeReport;
import io.pawfiler.video.pipeline.DecisionBand;
import io.pawfiler.video.pipeline.DeepfakePipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalysisWorkerTest {

    private static DeepfakePipeline.Report report(DecisionBand band, int faces, double calibrated, double raw,
                                                  double auc) {
        DecisionBand.Decision decision = band.decide(faces, calibrated);
        List<DeepfakePipeline.ScoredFace> top = faces == 0 ? List.of()
                : List.of(new DeepfakePipeline.ScoredFace(3, 120, 0.1, 0.2, 0.3, 0.4, calibrated, raw));
        return new DeepfakePipeline.Report(decision.verdict(), decision.reason(), calibrated, raw, 8, faces,
                "sbi-test+detector", auc, band, Duration.ofMillis(250), top, Map.of());
    }

    @Test
    void theReportCarriesTheCalibratedProbabilityTheRawScoreTheReasonTheAucAndTheBand() {
        DeepfakeReport out = AnalysisWorker.toProto("t-1", report(new DecisionBand(0.7, 0.3), 6, 0.55, 0.87, 0.61));
        assertEquals("INCONCLUSIVE", out.getVerdict());
        assertEquals("low_confidence", out.getVerdictReason());
        assertEquals(0.55, out.getConfidenceScore(), 0);
        assertEquals(0.55, out.getCalibratedFakeProbability(), 0);
        assertEquals(0.87, out.getRawScore(), 0);
        assertEquals(0.61, out.getModelHeldoutAuc(), 0);
        assertEquals(0.7, out.getFakeThreshold(), 0);
        assertEquals(0.3, out.getRealThreshold(), 0);
        assertEquals(0.55, out.getManipulatedRegions(0).getConfidence(), 0);

        DeepfakeReport real = AnalysisWorker.toProto("t-2", report(new DecisionBand(0.7, 0.3), 6, 0.2, 0.1, 0.61));
        assertEquals("REAL", real.getVerdict());
        assertEquals("below_real_bound", real.getVerdictReason());
    }

    @Test
    void emptySidesAndMissingFiguresAreLeftUnset() {
        DeepfakeReport out = AnalysisWorker.toProto("t-3", report(DecisionBand.EMPTY, 6, 0.95, 0.99, Double.NaN));
        assertEquals("INCONCLUSIVE", out.getVerdict());
        assertEquals("low_confidence", out.getVerdictReason());
        assertFalse(out.hasFakeThreshold());
        assertFalse(out.hasRealThreshold());
        assertFalse(out.hasModelHeldoutAuc());
        assertTrue(out.hasCalibratedFakeProbability());
    }

    @Test
    void noFaceHasAReasonAndNoProbability() {
        DeepfakeReport out = AnalysisWorker.toProto("t-4", report(new DecisionBand(0.7, 0.3), 0, Double.NaN,
                Double.NaN, 0.61));
        assertEquals("INCONCLUSIVE", out.getVerdict());
        assertEquals("no_face", out.getVerdictReason());
        assertEquals(0, out.getConfidenceScore(), 0);
        assertFalse(out.hasCalibratedFakeProbability());
        assertFalse(out.hasRawScore());
        assertEquals(0, out.getManipulatedRegionsCount());
    }
}
