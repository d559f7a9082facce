package io.pawfiler.video.pipeline;

import java.io.StringReader;

import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationTest {

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void plattIsASigmoidOfAnAffineMapOfTheLogit() {
        Calibration platt = Calibration.platt(0.5, -0.25);
        for (double z : new double[] {-6, -1.5, 0, 0.3, 2, 7}) {
            assertEquals(sigmoid(0.5 * z - 0.25), platt.apply(sigmoid(z)), 1e-9, "logit " + z);
        }
        // a = 1, b = 0 changes nothing
        assertEquals(0.8, Calibration.platt(1, 0).apply(0.8), 1e-12);
        // a < 1 pulls confident scores toward 0.5: the raw 0.87 of a weak model is not 0.87 calibrated
        double calibrated = Calibration.platt(0.2, -0.1).apply(0.87);
        assertEquals(sigmoid(0.2 * Math.log(0.87 / 0.13) - 0.1), calibrated, 1e-9);
        assertTrue(calibrated > 0.5 && calibrated < 0.6, "calibrated " + calibrated);
    }

    @Test
    void plattKeepsTheOrderAndStaysFiniteAtZeroAndOne() {
        Calibration platt = Calibration.platt(0.3, 0.1);
        double previous = -1;
        for (double p = 0; p <= 1.0; p += 0.01) {
            double c = platt.apply(p);
            assertTrue(c > previous && c > 0 && c < 1, "p " + p + " -> " + c);
            previous = c;
        }
        assertEquals(sigmoid(0.3 * Math.log(Calibration.EPS / (1 - Calibration.EPS)) + 0.1), platt.apply(0), 1e-9);
        assertEquals(sigmoid(0.3 * Math.log((1 - Calibration.EPS) / Calibration.EPS) + 0.1), platt.apply(1), 1e-9);
        assertTrue(Double.isNaN(platt.apply(Double.NaN)));
        // a negative slope would invert the model: allowed by the maths, and then it does invert
        assertTrue(Calibration.platt(-1, 0).apply(0.9) < 0.5);
    }

    @Test
    void isotonicInterpolatesBetweenBreakpointsAndIsFlatOutsideThem() {
        Calibration iso = Calibration.isotonic(new double[] {0.2, 0.4, 0.4, 0.8}, new double[] {0.1, 0.3, 0.5, 0.9});
        assertEquals(0.1, iso.apply(0.0), 1e-12);
        assertEquals(0.1, iso.apply(0.2), 1e-12);
        assertEquals(0.2, iso.apply(0.3), 1e-12);
        assertEquals(0.5, iso.apply(0.4), 1e-12);       // a vertical step: the upper value
        assertEquals(0.7, iso.apply(0.6), 1e-12);
        assertEquals(0.9, iso.apply(0.8), 1e-12);
        assertEquals(0.9, iso.apply(1.0), 1e-12);
    }

    @Test
    void invalidCalibrationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Calibration.isotonic(new double[] {0.1, 0.2},
                new double[] {0.5}));
        assertThrows(IllegalArgumentException.class, () -> Calibration.isotonic(new double[] {0.1, 0.2},
                new double[] {0.6, 0.4}));  // decreasing
        assertThrows(IllegalArgumentException.class, () -> Calibration.isotonic(new double[] {0.3, 0.2},
                new double[] {0.4, 0.6}));  // x not sorted
        assertThrows(IllegalArgumentException.class, () -> Calibration.isotonic(new double[] {0.1},
                new double[] {1.5}));
        assertThrows(IllegalArgumentException.class, () -> Calibration.platt(Double.NaN, 0));
    }

    @Test
    void readFromTheManifestBlock() {
        Calibration platt = Calibration.fromJson(json("{\"method\":\"platt\",\"a\":0.25,\"b\":-0.5,\"measured\":{}}"));
        assertEquals(Calibration.Method.PLATT, platt.method());
        assertEquals(sigmoid(0.25 * 2 - 0.5), platt.apply(sigmoid(2)), 1e-9);
        Calibration iso = Calibration.fromJson(json("{\"method\":\"isotonic\",\"x\":[0,1],\"y\":[0.3,0.6]}"));
        assertEquals(0.45, iso.apply(0.5), 1e-12);
        assertSame(Calibration.IDENTITY, Calibration.fromJson(null));
        assertEquals(0.42, Calibration.fromJson(null).apply(0.42), 0);
        assertThrows(IllegalArgumentException.class, () -> Calibration.fromJson(json("{\"method\":\"magic\"}")));
    }

    static jakarta.json.JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
