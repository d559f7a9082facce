package io.pawfiler.video.pipeline;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The detector's video mode (the fine pass only on probe frames unless they show faces too small for the coarse
 * one) finds the same faces in every frame of a scene as frame-by-frame detection, small faces included.
 */
class FaceDetectorVideoTest {

    private static FaceDetector detector;

    @BeforeAll
    static void loadModel() {
        detector = new FaceDetector(ModelManifest.load("classpath:models/face-detector.json"));
    }

    @AfterAll
    static void closeModel() {
        detector.close();
    }

    /** 12 frames of one scene: the astronaut's face drifting right, {@code widthShare} of the frame wide. */
    private static List<RgbImage> scene(double widthShare, List<FaceBox> pasted) {
        RgbImage photo = RgbImage.of(TestVideos.image("astronaut.png"));
        List<RgbImage> frames = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            RgbImage frame = FaceDetectorTest.background("coffee.png");
            pasted.add(FaceDetectorTest.paste(frame, photo, FaceDetectorTest.ASTRONAUT_FACE, 300 + 20 * i, 250,
                    1280 * widthShare));
            frames.add(frame);
        }
        return frames;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.06, 0.15, 0.3})
    void everyFrameOfASceneHasItsFaceWhereItWasPasted(double widthShare) {
        List<FaceBox> pasted = new ArrayList<>();
        List<RgbImage> frames = scene(widthShare, pasted);

        List<List<FaceBox>> inVideo = detector.detectInVideo(frames);

        assertEquals(frames.size(), inVideo.size());
        for (int i = 0; i < frames.size(); i++) {
            List<FaceBox> faces = inVideo.get(i);
            assertEquals(1, faces.size(), "frame " + i + ": " + faces);
            assertTrue(faces.get(0).iou(pasted.get(i)) >= 0.4, "frame " + i + ": " + faces.get(0) + " vs " + pasted.get(i));
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.06, 0.3})
    void aSceneWithoutFacesTooSmallForTheCoarsePassOrWithThemGivesWhatFrameByFrameDetectionGivesOnProbeFrames(
            double widthShare) {
        List<RgbImage> frames = scene(widthShare, new ArrayList<>());

        List<List<FaceBox>> inVideo = detector.detectInVideo(frames);
        List<List<FaceBox>> frameByFrame = detector.detect(frames);

        for (int i = 0; i < frames.size(); i += FaceDetector.VIDEO_PROBE_EVERY) {
            assertEquals(frameByFrame.get(i), inVideo.get(i), "probe frame " + i);
        }
    }
}
