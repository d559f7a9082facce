package io.pawfiler.video.service;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import io.pawfiler.video.pipeline.ScoreAggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelsTest {

    @Test
    void readinessIsDownWhenAModelCannotBeLoaded() {
        Models broken = new Models("classpath:models/face-detector.json", "classpath:models/missing.json", 8,
                ScoreAggregation.MEAN);
        assertTrue(broken.pipeline().isEmpty());
        assertEquals(HealthCheckResponse.Status.DOWN, health(broken).getStatus());

        Models loaded = new Models("classpath:models/face-detector.json", "classpath:models/deepfake-scorer.json", 8,
                ScoreAggregation.MEAN);
        assertEquals(HealthCheckResponse.Status.UP, health(loaded).getStatus());
        loaded.close();
    }

    @Test
    void withoutTheCnnDetectorTheHaarCascadeStillFindsTheFace() {
        Models fallback = new Models("classpath:models/missing-detector.json", "classpath:models/deepfake-scorer.json",
                8, ScoreAggregation.MEAN);
        assertTrue(fallback.pipeline().orElseThrow().modelVersion().contains("haarcascade"));
        try (var haar = new io.pawfiler.video.pipeline.HaarFaceFinder()) {
            var astronaut = io.pawfiler.video.pipeline.RgbImage.of(io.pawfiler.video.pipeline.TestVideos.image("astronaut.png"));
            var faces = haar.detect(java.util.List.of(astronaut)).get(0);
            assertEquals(1, faces.size(), faces.toString());
            // inside the CNN's box from the model card, (163.5, 75.7)-(278.6, 186.1), give or take
            var face = faces.get(0);
            double cx = (face.x0() + face.x1()) / 2;
            double cy = (face.y0() + face.y1()) / 2;
            assertTrue(cx > 163 && cx < 279 && cy > 75 && cy < 187, face.toString());
        }
        fallback.close();
    }

    private static HealthCheckResponse health(Models models) {
        Models.Health health = new Models.Health();
        health.models = models;
        return health.call();
    }
}
