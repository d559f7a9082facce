package io.pawfiler.video.pipeline;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The face detector's geometry, decode and NMS on their own, and the bundled model on 1280x720 frames with a real
 * face pasted at a known position and size (test images: src/test/resources/faces/README.md).
 */
class FaceDetectorTest {

    /** The hand-drawn face box in astronaut.png (tools/models/face_detector/make_face_size_set.py). */
    static final FaceBox ASTRONAUT_FACE = new FaceBox(163, 75, 278, 186, 1);

    private static FaceDetector detector;

    @BeforeAll
    static void loadModel() {
        detector = new FaceDetector(ModelManifest.load("classpath:models/face-detector.json"));
    }

    @AfterAll
    static void closeModel() {
        detector.close();
    }

    @Test
    void aWideFrameGetsACanvasOfItsOwnShapeInMultiplesOf32() {
        FaceDetector.Canvas canvas = FaceDetector.canvasFor(1280, 720, 832, 32);
        assertEquals(832, canvas.width());
        assertEquals(480, canvas.height());  // 720 * 0.65 = 468, padded up to 480
        assertEquals(0.65, canvas.scale(), 1e-12);

        FaceDetector.Canvas portrait = FaceDetector.canvasFor(720, 1280, 832, 32);
        assertEquals(480, portrait.width());
        assertEquals(832, portrait.height());

        FaceDetector.Canvas fixed = FaceDetector.fixedCanvas(1280, 720, 416, 416);
        assertEquals(416, fixed.width());
        assertEquals(416 / 1280.0, fixed.scale(), 1e-12);
    }

    @Test
    void decodeReadsRowsAndColumnsOfANonSquareGridAndMapsBackToFramePixels() {
        int rows = 3;
        int cols = 5;
        double[][] anchors = {{1, 1}, {2, 3}};
        float[] raw = new float[2 * (anchors.length * 5 * rows * cols)];  // two images
        java.util.Arrays.fill(raw, -10f);  // every objectness far below the threshold
        int plane = rows * cols;
        int image = anchors.length * 5 * plane;
        // image 1, anchor 1, row 2, col 4: centred in its cell (tx = ty = 0), anchor-sized (tw = th = 0), score ~0.95
        int cell = 2 * cols + 4;
        int base = image + 5 * plane;
        raw[base + cell] = 0;
        raw[base + plane + cell] = 0;
        raw[base + 2 * plane + cell] = 0;
        raw[base + 3 * plane + cell] = 0;
        raw[base + 4 * plane + cell] = 3;

        assertTrue(FaceDetector.decode(raw, 0, rows, cols, 32, 30, anchors, 0.5, 0.5, 400, 200).isEmpty());
        List<FaceBox> found = FaceDetector.decode(raw, image, rows, cols, 32, 30, anchors, 0.5, 0.5, 400, 200);
        assertEquals(1, found.size(), found.toString());
        FaceBox box = found.get(0);
        // canvas: centre (4.5*32, 2.5*30) = (144, 75), size (2*32, 3*30) = (64, 90); frame = canvas / 0.5
        assertEquals((144 - 32) / 0.5, box.x0(), 1e-9);
        assertEquals((144 + 32) / 0.5, box.x1(), 1e-9);
        assertEquals((75 - 45) / 0.5, box.y0(), 1e-9);
        assertEquals(200, box.y1(), 1e-9);  // (75 + 45) / 0.5 = 240, clipped to the frame height
        assertEquals(1 / (1 + Math.exp(-3)), box.score(), 1e-9);
    }

    @ParameterizedTest
    @CsvSource({"NCHW, RGB", "NHWC, BGR"})
    void theLookupTableWritesTheSameTensorAsTheManifestsInput(String layout, String order) {
        java.util.Random random = new java.util.Random(3);
        byte[] pixels = new byte[64 * 32 * 3];
        random.nextBytes(pixels);
        RgbImage image = new RgbImage(64, 32, pixels);
        ModelManifest.Input input = new ModelManifest.Input("input", layout, 64, 32, order, 256.0,
                new double[] {0.457, 0.448, 0.380}, new double[] {1.0, 0.5, 2.0});
        float[] expected = new float[input.size() + 5];
        float[] actual = new float[input.size() + 5];
        input.write(image, expected, 5);
        FaceDetector.write(image, input, actual, 5);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }

    @Test
    void nonMaximumSuppressionKeepsTheBestOfOverlappingBoxesAndEveryDisjointOne() {
        FaceBox best = new FaceBox(100, 100, 200, 200, 0.9);
        FaceBox shifted = new FaceBox(110, 105, 210, 205, 0.8);  // IoU ~0.75 with best
        FaceBox elsewhere = new FaceBox(400, 100, 480, 180, 0.6);
        FaceBox nested = new FaceBox(100, 100, 150, 150, 0.7);  // IoU 0.25: kept at 0.4
        List<FaceBox> kept = FaceDetector.nonMaximumSuppression(List.of(shifted, elsewhere, nested, best), 0.4);
        assertEquals(List.of(best, nested, elsewhere), kept);
    }

    @ParameterizedTest(name = "at ({0}, {1}) on {2}")
    @CsvSource({"150, 120, coffee.png", "905, 430, coffee.png", "560, 250, rocket.jpg", "1150, 600, rocket.jpg"})
    void aFaceSixPercentOfA720pFrameIsFoundWhereItWasPasted(int x, int y, String background) {
        RgbImage frame = background(background);
        FaceBox pasted = paste(frame, RgbImage.of(TestVideos.image("astronaut.png")), ASTRONAUT_FACE, x, y,
                0.06 * 1280);

        List<FaceBox> faces = detector.detect(List.of(frame)).get(0);

        assertEquals(1, faces.size(), faces.toString());
        FaceBox face = faces.get(0);
        assertTrue(face.iou(pasted) >= 0.5, "IoU " + face.iou(pasted) + ": " + face + " vs " + pasted);
        double cx = (face.x0() + face.x1()) / 2;
        double cy = (face.y0() + face.y1()) / 2;
        assertEquals((pasted.x0() + pasted.x1()) / 2, cx, 0.25 * pasted.width());
        assertEquals((pasted.y0() + pasted.y1()) / 2, cy, 0.25 * pasted.height());
        assertTrue(face.width() > 0.6 * pasted.width() && face.width() < 1.6 * pasted.width(), face.toString());
    }

    @Test
    void framesOfDifferentSizesInOneCallAreEachFoundInTheirOwnCoordinates() {
        RgbImage wide = background("coffee.png");
        FaceBox pastedWide = paste(wide, RgbImage.of(TestVideos.image("astronaut.png")), ASTRONAUT_FACE, 700, 300,
                0.06 * 1280);
        RgbImage astronaut = RgbImage.of(TestVideos.image("astronaut.png"));  // 512x512, face ~22% of the width

        List<List<FaceBox>> faces = detector.detect(List.of(wide, astronaut, background("rocket.jpg")));

        assertEquals(1, faces.get(0).size(), faces.get(0).toString());
        assertTrue(faces.get(0).get(0).iou(pastedWide) >= 0.5, faces.get(0).toString());
        assertEquals(1, faces.get(1).size(), faces.get(1).toString());
        assertTrue(faces.get(1).get(0).iou(ASTRONAUT_FACE) >= 0.5, faces.get(1).toString());
        assertTrue(faces.get(2).isEmpty(), faces.get(2).toString());
    }

    @ParameterizedTest
    @CsvSource({"coffee.png", "rocket.jpg"})
    void aFaceFree720pPictureHasNoFace(String background) {
        List<FaceBox> faces = detector.detect(List.of(background(background))).get(0);
        assertTrue(faces.isEmpty(), faces.toString());
    }

    /** The picture scaled to cover 1280x720 and centre-cropped. */
    static RgbImage background(String name) {
        RgbImage picture = RgbImage.of(TestVideos.image(name));
        double scale = Math.max(1280.0 / picture.width(), 720.0 / picture.height());
        RgbImage big = picture.resized((int) Math.ceil(picture.width() * scale),
                (int) Math.ceil(picture.height() * scale));
        int x = (big.width() - 1280) / 2;
        int y = (big.height() - 720) / 2;
        return big.crop(x, y, x + 1280, y + 720);
    }

    /**
     * Pastes {@code face} (plus half its size of surroundings) from {@code photo} into {@code frame}, scaled so that
     * the face box is {@code faceWidth} pixels wide with its top-left corner at (x, y).
     *
     * @return where the face box now is in the frame
     */
    static FaceBox paste(RgbImage frame, RgbImage photo, FaceBox face, int x, int y, double faceWidth) {
        int px0 = (int) Math.max(0, face.x0() - face.width() / 2);
        int py0 = (int) Math.max(0, face.y0() - face.height() / 2);
        int px1 = (int) Math.min(photo.width(), face.x1() + face.width() / 2);
        int py1 = (int) Math.min(photo.height(), face.y1() + face.height() / 2);
        double scale = faceWidth / face.width();
        RgbImage patch = photo.crop(px0, py0, px1, py1).resized((int) Math.round((px1 - px0) * scale),
                (int) Math.round((py1 - py0) * scale));
        int ox = (int) Math.round(x - (face.x0() - px0) * scale);
        int oy = (int) Math.round(y - (face.y0() - py0) * scale);
        for (int row = 0; row < patch.height(); row++) {
            int fy = oy + row;
            if (fy < 0 || fy >= frame.height()) {
                continue;
            }
            for (int col = 0; col < patch.width(); col++) {
                int fx = ox + col;
                if (fx >= 0 && fx < frame.width()) {
                    System.arraycopy(patch.rgb(), (row * patch.width() + col) * 3, frame.rgb(),
                            (fy * frame.width() + fx) * 3, 3);
                }
            }
        }
        double x0 = ox + (face.x0() - px0) * scale;
        double y0 = oy + (face.y0() - py0) * scale;
        return new FaceBox(x0, y0, x0 + face.width() * scale, y0 + face.height() * scale, 1);
    }
}
