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
                8, ScoreAggregation.CONFIDENT, 0.5, 3)).analyze(video, stages::add);
        assertEquals(List.of(DeepfakePipeline.Stage.values()), stages);
        assertEquals(8, report.framesAnalysed());
        assertTrue(report.facesFound() >= 6, "faces in most frames: " + report.facesFound());
        assertTrue(report.fakeProbability() >= 0 && report.fakeProbability() <= 1);
        assertFalse(report.verdict() == DeepfakePipeline.Verdict.INCONCLUSIVE);
        assertFalse(report.mostSuspicious().isEmpty());
        DeepfakePipeline.ScoredFace top = report.mostSuspicious().get(0);
        assertTrue(top.x() >= 0 && top.x() + top.width() <= 1.0001 && top.width() > 0.05, top.toString());
        // the picture drifts right: later frames put the face further right
        List<DeepfakePipeline.ScoredFace> byFrame = new ArrayList<>(report.mostSuspicious());
        byFrame.sort(java.util.Comparator.comparingInt(DeepfakePipeline.ScoredFace::frameIndex));
        assertTrue(byFrame.get(byFrame.size() - 1).x() >= byFrame.get(0).x());
    }

    @Test
    void aVideoWithoutAFaceIsInconclusive() {
        BufferedImage coffee = TestVideos.image("coffee.png");
        Path video = TestVideos.encode(Path.of("target/test-videos"), "coffee", coffee, TestVideos.Format.H264_MP4,
                640, 360, 2);
        DeepfakePipeline.Report report = new DeepfakePipeline(detector, scorer, new DeepfakePipeline.Options(
                6, ScoreAggregation.CONFIDENT, 0.5, 3)).analyze(video, stage -> { });
        assertEquals(DeepfakePipeline.Verdict.INCONCLUSIVE, report.verdict());
        assertEquals(0, report.facesFound());
        assertEquals(6, report.framesAnalysed());
    }
}
