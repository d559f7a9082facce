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
                ScoreAggregation.MEAN, 0.5);
        assertTrue(broken.pipeline().isEmpty());
        assertEquals(HealthCheckResponse.Status.DOWN, health(broken).getStatus());

        Models loaded = new Models("classpath:models/face-detector.json", "classpath:models/deepfake-scorer.json", 8,
                ScoreAggregation.MEAN, 0.5);
        assertEquals(HealthCheckResponse.Status.UP, health(loaded).getStatus());
        loaded.close();
    }

    private static HealthCheckResponse health(Models models) {
        Models.Health health = new Models.Health();
        health.models = models;
        return health.call();
    }
}
