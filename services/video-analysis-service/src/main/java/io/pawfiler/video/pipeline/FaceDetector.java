package io.pawfiler.video.pipeline;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import jakarta.json.JsonArray;

/**
 * A YOLOv2-style face detector (face-api.js TinyFaceDetector, tools/models/MODEL_CARD-face-detector.md) on ONNX
 * Runtime: frames are letterboxed to the model's square input at the top-left, the 13x13x5 grid is decoded with the
 * manifest's anchors, and overlapping boxes are merged by non-maximum suppression.
 */
public final class FaceDetector implements FaceFinder {

    private final ModelManifest manifest;
    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final int grid;
    private final double[][] anchors;

    public FaceDetector(ModelManifest manifest) {
        this.manifest = manifest;
        this.grid = manifest.output().getInt("gridSize");
        JsonArray anchorList = manifest.output().getJsonArray("anchors");
        this.anchors = new double[anchorList.size()][];
        for (int i = 0; i < anchors.length; i++) {
            JsonArray pair = anchorList.getJsonArray(i);
            anchors[i] = new double[] {pair.getJsonNumber(0).doubleValue(), pair.getJsonNumber(1).doubleValue()};
        }
        try {
            this.session = environment.createSession(manifest.model(), Onnx.options());
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load face detector " + manifest.version(), e);
        }
    }

    @Override
    public String version() {
        return manifest.version();
    }

    /** Faces in each frame, in one batched inference call. */
    @Override
    public List<List<FaceBox>> detect(List<RgbImage> frames) {
        if (frames.isEmpty()) {
            return List.of();
        }
        ModelManifest.Input input = manifest.input();
        int side = input.width();
        float[] tensor = new float[frames.size() * input.size()];
        double[] scales = new double[frames.size()];
        for (int i = 0; i < frames.size(); i++) {
            RgbImage.Letterboxed boxed = frames.get(i).letterboxed(side);
            scales[i] = boxed.scale();
            input.write(boxed.canvas(), tensor, i * input.size());
        }
        try (OnnxTensor batch = OnnxTensor.createTensor(environment, FloatBuffer.wrap(tensor), input.shape(frames.size()));
             OrtSession.Result result = session.run(Map.of(input.name(), batch))) {
            float[][][][] raw = (float[][][][]) result.get(0).getValue();
            List<List<FaceBox>> faces = new ArrayList<>(frames.size());
            for (int i = 0; i < frames.size(); i++) {
                faces.add(decode(raw[i], scales[i], frames.get(i).width(), frames.get(i).height()));
            }
            return faces;
        } catch (OrtException e) {
            throw new IllegalStateException("face detection failed", e);
        }
    }

    private List<FaceBox> decode(float[][][] output, double scale, int frameWidth, int frameHeight) {
        double stride = manifest.input().width() / (double) grid;
        List<FaceBox> candidates = new ArrayList<>();
        for (int a = 0; a < anchors.length; a++) {
            for (int row = 0; row < grid; row++) {
                for (int col = 0; col < grid; col++) {
                    double score = sigmoid(output[a * 5 + 4][row][col]);
                    if (score <= manifest.scoreThreshold()) {
                        continue;
                    }
                    double cx = (col + sigmoid(output[a * 5][row][col])) * stride;
                    double cy = (row + sigmoid(output[a * 5 + 1][row][col])) * stride;
                    double w = Math.exp(output[a * 5 + 2][row][col]) * anchors[a][0] * stride;
                    double h = Math.exp(output[a * 5 + 3][row][col]) * anchors[a][1] * stride;
                    candidates.add(new FaceBox(
                            clamp((cx - w / 2) / scale, frameWidth), clamp((cy - h / 2) / scale, frameHeight),
                            clamp((cx + w / 2) / scale, frameWidth), clamp((cy + h / 2) / scale, frameHeight), score));
                }
            }
        }
        return nonMaximumSuppression(candidates, manifest.iouThreshold());
    }

    static List<FaceBox> nonMaximumSuppression(List<FaceBox> boxes, double iouThreshold) {
        List<FaceBox> remaining = new ArrayList<>(boxes);
        remaining.sort(Comparator.comparingDouble(FaceBox::score).reversed());
        List<FaceBox> kept = new ArrayList<>();
        while (!remaining.isEmpty()) {
            FaceBox best = remaining.remove(0);
            kept.add(best);
            remaining.removeIf(other -> best.iou(other) > iouThreshold);
        }
        return kept;
    }

    private static double clamp(double value, int max) {
        return Math.max(0, Math.min(max, value));
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
