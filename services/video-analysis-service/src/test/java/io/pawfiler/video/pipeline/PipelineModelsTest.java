package io.pawfiler.video.pipeline;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled models through ONNX Runtime on public-domain images and on videos the test encodes. */
class PipelineModelsTest {

    private static FaceDetector detector;
    private static DeepfakeScorer scorer;

    @BeforeAll
    static void loadModels() {
        detector = new FaceDetector(ModelManifest.load("classpath:models/face-detector.json"));
        scorer = new DeepfakeScorer(ModelManifest.load("classpath:models/deepfake-scorer.json"));
    }

    @AfterAll
    static void closeModels() {
        detector.close();
        scorer.close();
    }

    @Test
    void theDetectorFindsTheAstronautsFaceWhereTheModelCardSaysAndNoFaceInTheCoffee() {
        RgbImage astronaut = RgbImage.of(TestVideos.image("astronaut.png"));
        RgbImage leftPart = astronaut.crop(0, 0, 384, 512);  // not square: padding on the right
        RgbImage coffee = RgbImage.of(TestVideos.image("coffee.png"));
        List<List<FaceBox>> faces = detector.detect(List.of(astronaut, leftPart, coffee));

        for (List<FaceBox> found : faces.subList(0, 2)) {
            assertEquals(1, found.size(), found.toString());
            FaceBox face = found.get(0);
            // tools/models/MODEL_CARD-face-detector.md: (163.5, 75.7)-(278.6, 186.1), score 0.9727
            assertEquals(163.5, face.x0(), 4);
            assertEquals(75.7, face.y0(), 4);
            assertEquals(278.6, face.x1(), 4);
            assertEquals(186.1, face.y1(), 4);
            assertEquals(0.9727, face.score(), 0.03);
        }
        assertTrue(faces.get(2).isEmpty(), faces.get(2).toString());
    }

    @Test
    void theScoreIsAProbabilityAndChangesWhenTheFaceIsSelfBlended() {
        RgbImage astronaut = RgbImage.of(TestVideos.image("astronaut.png"));
        FaceBox face = detector.detect(List.of(astronaut)).get(0).get(0);
        RgbImage blended = SelfBlend.apply(astronaut, face);
        double[] scores = scorer.score(List.of(scorer.cropFace(astronaut, face), scorer.cropFace(blended, face)));
        for (double score : scores) {
            assertTrue(score >= 0 && score <= 1, "score " + score);
        }
        // No claim about which way: the model card measures only a weak held-out AUC (0.60).
        assertTrue(Math.abs(scores[0] - scores[1]) > 1e-3, "real " + scores[0] + " vs blended " + scores[1]);
    }

    @ParameterizedTest
    @EnumSource(TestVideos.Format.class)
    void aVideoOfAFaceGetsAScoredReport(TestVideos.Format format) {
        Path video = TestVideos.encode(Path.of("target/test-videos"), "astronaut-" + format, TestVideos.image("astronaut.png"),
                format, 640, 360, 3);
        FrameSampler.Probe probe = FrameSampler.probe(video);
        assertEquals(640, probe.width());
        assertTrue(probe.durationMicros() > 2_500_000, "duration " + probe.durationMicros());

        List<DeepfakePipeline.Stage> stages = new ArrayList<>();
        DeepfakePipeline.Report report = new DeepfakePipeline(detector, scorer, new DeepfakePipeline.Options(
                8, ScoreAggregation.CONFIDENT, 3)).analyze(video, stages::add);
        assertEquals(List.of(DeepfakePipeline.Stage.values()), stages);
        assertEquals(8, report.framesAnalysed());
        assertTrue(report.facesFound() >= 6, "faces in most frames: " + report.facesFound());
        assertTrue(report.fakeProbability() >= 0 && report.fakeProbability() <= 1);
        assertTrue(report.rawScore() >= 0 && report.rawScore() <= 1);
        // a face was scored, so the reason is about the score, not about a missing face
        assertNotEquals(DecisionBand.Reason.NO_FACE, report.reason());
        assertEquals(report.verdict(), scorer.band().decide(report.facesFound(), report.fakeProbability()).verdict());
        assertFalse(report.mostSuspicious().isEmpty());
        DeepfakePipeline.ScoredFace top = report.mostSuspicious().get(0);
        assertEquals(scorer.calibration().apply(top.rawScore()), top.score(), 1e-12);
        assertTrue(top.x() >= 0 && top.x() + top.width() <= 1.0001 && top.width() > 0.05, top.toString());
        // the picture drifts right: later frames put the face further right
        List<DeepfakePipeline.ScoredFace> byFrame = new ArrayList<>(report.mostSuspicious());
        byFrame.sort(java.util.Comparator.comparingInt(DeepfakePipeline.ScoredFace::frameIndex));
        assertTrue(byFrame.get(byFrame.size() - 1).x() >= byFrame.get(0).x());
    }

    @Test
    void aVideoWithoutAFaceIsInconclusiveNoFace() {
        BufferedImage coffee = TestVideos.image("coffee.png");
        Path video = TestVideos.encode(Path.of("target/test-videos"), "coffee", coffee, TestVideos.Format.H264_MP4,
                640, 360, 2);
        DeepfakePipeline.Report report = new DeepfakePipeline(detector, scorer, new DeepfakePipeline.Options(
                6, ScoreAggregation.CONFIDENT, 3)).analyze(video, stage -> { });
        assertEquals(DeepfakePipeline.Verdict.INCONCLUSIVE, report.verdict());
        assertEquals(DecisionBand.Reason.NO_FACE, report.reason());
        assertEquals(0, report.facesFound());
        assertEquals(6, report.framesAnalysed());
        assertTrue(Double.isNaN(report.fakeProbability()) && Double.isNaN(report.rawScore()));
        assertTrue(report.mostSuspicious().isEmpty());
    }

    /**
     * The reported false accusation: a 6 s 720p video made from an unmanipulated photo of a person came back FAKE
     * (0.87). The verdict must be REAL or INCONCLUSIVE / low_confidence, never FAKE: the model card's measured
     * held-out error rates do not support a FAKE for such a video (see the manifest's decision block, checked by
     * {@link #theBandInTheManifestIsJustifiedByItsOwnMeasuredErrorRates}). The astronaut is one of the scorer's three
     * training faces (no other legally usable face exists to commit), so this shows the service path, not
     * generalisation: for unseen people the guarantee is the empty FAKE side of the band, checked by that test.
     */
    @Test
    void aVideoOfAnUnmanipulatedPhotoIsNeverCalledFake() {
        Path video = TestVideos.encode(Path.of("target/test-videos"), "astronaut-720p-6s",
                TestVideos.image("astronaut.png"), TestVideos.Format.H264_MP4, 1280, 720, 6);
        DeepfakePipeline.Report report = new DeepfakePipeline(detector, scorer, DeepfakePipeline.Options.defaults())
                .analyze(video, stage -> { });
        assertEquals(32, report.framesAnalysed());
        assertTrue(report.facesFound() >= 28, "faces in most frames: " + report.facesFound());
        assertNotEquals(DeepfakePipeline.Verdict.FAKE, report.verdict(), report.toString());
        if (report.verdict() == DeepfakePipeline.Verdict.INCONCLUSIVE) {
            assertEquals(DecisionBand.Reason.LOW_CONFIDENCE, report.reason(), report.toString());
        } else {
            assertEquals(DecisionBand.Reason.BELOW_REAL_BOUND, report.reason(), report.toString());
        }
        // the calibrated probability is what the verdict is decided on; it is the calibration of the raw scores
        assertTrue(report.fakeProbability() > 0 && report.fakeProbability() < 1);
        assertTrue(report.rawScore() > 0 && report.rawScore() < 1);
        for (DeepfakePipeline.ScoredFace face : report.mostSuspicious()) {
            assertEquals(scorer.calibration().apply(face.rawScore()), face.score(), 1e-12);
        }
        assertEquals(scorer.heldoutAuc(), report.heldoutAuc(), 0);
    }

    /** Each non-empty side of the shipped band must be backed by the figures the training script measured. */
    @Test
    void theBandInTheManifestIsJustifiedByItsOwnMeasuredErrorRates() {
        jakarta.json.JsonObject manifest = ModelManifest.load("classpath:models/deepfake-scorer.json").json();
        jakarta.json.JsonObject decision = manifest.getJsonObject("decision");
        jakarta.json.JsonObject calibration = manifest.getJsonObject("calibration");
        assertEquals("platt", calibration.getString("method"));
        double auc = calibration.getJsonObject("measured").getJsonNumber("heldoutAuc").doubleValue();
        assertEquals(auc, scorer.heldoutAuc(), 0);
        assertTrue(auc > 0 && auc < 1);
        jakarta.json.JsonObject targets = decision.getJsonObject("targets");
        jakarta.json.JsonObject outOfSample = decision.getJsonObject("measuredLeaveOnePhotoOut");
        jakarta.json.JsonObject inSample = decision.getJsonObject("measuredInSample");
        DecisionBand band = scorer.band();
        if (band.hasFakeSide()) {
            double max = targets.getJsonNumber("maxRealCalledFake").doubleValue();
            for (String rate : List.of("realAugmentedCalledFake", "realCleanCalledFake")) {
                assertTrue(outOfSample.getJsonNumber(rate).doubleValue() <= max, rate + " out of sample");
                assertTrue(inSample.getJsonNumber(rate).doubleValue() <= max, rate + " in sample");
            }
            assertTrue(band.fakeAtOrAbove() >= 0.5, "FAKE needs a calibrated probability of at least 0.5");
        } else {
            assertTrue(decision.isNull("fakeAtOrAbove"));
        }
        if (band.hasRealSide()) {
            double max = targets.getJsonNumber("maxFakeCalledReal").doubleValue();
            assertTrue(outOfSample.getJsonNumber("fakeCalledReal").doubleValue() <= max, "misses out of sample");
            assertTrue(inSample.getJsonNumber("fakeCalledReal").doubleValue() <= max, "misses in sample");
            assertTrue(band.realAtOrBelow() <= 0.5, "REAL needs a calibrated probability of at most 0.5");
        } else {
            assertTrue(decision.isNull("realAtOrBelow"));
        }
    }
}
