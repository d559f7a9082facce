package io.pawfiler.video.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScoreAggregationTest {

    @Test
    void meanIsTheAverage() {
        assertEquals(0.5, ScoreAggregation.MEAN.aggregate(new double[] {0.2, 0.8}), 1e-9);
    }

    @Test
    void confidentAveragesTheConfidentlyFakeFacesWhenThereAreEnough() {
        // 3 of 20 faces above 0.8: a fake shown in a few frames is not averaged away
        double[] scores = new double[20];
        java.util.Arrays.fill(scores, 0.3);
        scores[0] = 0.9;
        scores[1] = 0.95;
        scores[2] = 0.85;
        assertEquals(0.9, ScoreAggregation.CONFIDENT.aggregate(scores), 1e-9);
        assertEquals(0.39, ScoreAggregation.MEAN.aggregate(scores), 1e-9);
    }

    @Test
    void confidentAveragesTheConfidentlyRealFacesWhenNineInTenAre() {
        double[] scores = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.5};
        assertEquals(0.1, ScoreAggregation.CONFIDENT.aggregate(scores), 1e-9);
    }

    @Test
    void otherwiseConfidentIsTheMean() {
        double[] scores = {0.3, 0.5, 0.7};
        assertEquals(0.5, ScoreAggregation.CONFIDENT.aggregate(scores), 1e-9);
    }
}
