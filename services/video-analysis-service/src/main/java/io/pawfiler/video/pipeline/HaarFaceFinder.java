package io.pawfiler.video.pipeline;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

/**
 * OpenCV's Haar cascade (frontal faces, shipped in the OpenCV jar): the fallback when the CNN detector cannot be
 * loaded. Less accurate (more misses on turned faces, more false positives), but needs no model file.
 */
public final class HaarFaceFinder implements FaceFinder {

    private static final String CASCADE = "/org/bytedeco/opencv/linux-x86_64/share/opencv4/haarcascades/"
            + "haarcascade_frontalface_default.xml";

    private final CascadeClassifier classifier;

    public HaarFaceFinder() {
        try {
            File cascade = Loader.cacheResource(HaarFaceFinder.class, CASCADE);
            classifier = new CascadeClassifier(cascade.getAbsolutePath());
            if (classifier.empty()) {
                throw new IllegalStateException("cannot read the Haar cascade " + CASCADE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String version() {
        return "opencv-haarcascade_frontalface_default";
    }

    @Override
    public synchronized List<List<FaceBox>> detect(List<RgbImage> frames) {
        List<List<FaceBox>> all = new ArrayList<>(frames.size());
        for (RgbImage frame : frames) {
            List<FaceBox> faces = new ArrayList<>();
            try (BytePointer pixels = new BytePointer(frame.rgb());
                 Mat rgb = new Mat(frame.height(), frame.width(), CV_8UC3, pixels);
                 Mat gray = new Mat();
                 RectVector found = new RectVector()) {
                cvtColor(rgb, gray, COLOR_RGB2GRAY);
                equalizeHist(gray, gray);
                int min = Math.max(24, Math.min(frame.width(), frame.height()) / 12);
                classifier.detectMultiScale(gray, found, 1.1, 5, 0, new Size(min, min), new Size());
                for (long i = 0; i < found.size(); i++) {
                    Rect r = found.get(i);
                    // the cascade has no confidence; 0.5 marks "detected"
                    faces.add(new FaceBox(r.x(), r.y(), r.x() + r.width(), r.y() + r.height(), 0.5));
                }
            }
            all.add(faces);
        }
        return all;
    }

    @Override
    public void close() {
        classifier.close();
    }
}
