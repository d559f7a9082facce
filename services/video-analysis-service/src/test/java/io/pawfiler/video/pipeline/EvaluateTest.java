package io.pawfiler.video.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluateTest {

    @Test
    void aucIsTheChanceAFakeOutscoresAReal() {
        assertEquals(1.0, Evaluate.auc(new double[] {0.9, 0.8}, new double[] {0.1, 0.2}), 1e-9);
        assertEquals(0.0, Evaluate.auc(new double[] {0.1}, new double[] {0.9}), 1e-9);
        assertEquals(0.5, Evaluate.auc(new double[] {0.5}, new double[] {0.5}), 1e-9);
        assertEquals(0.75, Evaluate.auc(new double[] {0.6, 0.3}, new double[] {0.4, 0.2}), 1e-9);
        assertTrue(Double.isNaN(Evaluate.auc(new double[0], new double[] {0.1})));
    }
}
