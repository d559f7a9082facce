package io.pawfiler.video.pipeline;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

/**
 * A YOLOv2-style face detector (face-api.js TinyFaceDetector, tools/models/MODEL_CARD-face-detector.md) on ONNX
 * Runtime. Each frame is scaled and drawn at the top-left of a black canvas, the grid of 5 anchors per cell is decoded
 * with the manifest's anchors, and overlapping boxes are merged by non-maximum suppression in frame coordinates.
 *
 * <p>The canvas is the manifest's fixed {@code input.width x input.height} square, or, when the manifest has
 * {@code output.dynamicInput} (the network is fully convolutional), sized per frame: for each of its {@code passes},
 * scaled so that its long side is {@code longSide}, padded up to multiples of {@code multiple}; the passes' boxes are
 * merged by one NMS. A 1280x720 frame at long side 832 runs on an 832x480 canvas (grid 26x15), where a face 5% of the
 * frame wide is 42 canvas pixels: at face-api.js's 416x416 it is 16, below what the network finds. Faces over ~30% of
 * the frame are too big for the network at 832 and come from the coarse pass (416x256).
 */
public final class FaceDetector implements FaceFinder {

    /** Where a frame goes on the network input: canvas size and the scale from frame pixels to canvas pixels. */
    record Canvas(int width, int height, double scale) {
    }

    /**
     * One inference per frame: the frame scaled to {@code longSide} on its long side (0 = the manifest's fixed input);
     * boxes whose larger side is under {@code minBox} canvas pixels are dropped (a coarse pass exists for big faces:
     * its small boxes are the unreliable ones, often straddling two faces).
     */
    record Pass(int longSide, double minBox) {
    }

    private final ModelManifest manifest;
    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final double[][] anchors;
    private final List<Pass> passes;
    private final int multiple;
    private final int batch;

    public FaceDetector(ModelManifest manifest) {
        this.manifest = manifest;
        JsonArray anchorList = manifest.output().getJsonArray("anchors");
        this.anchors = new double[anchorList.size()][];
        for (int i = 0; i < anchors.length; i++) {
            JsonArray pair = anchorList.getJsonArray(i);
            anchors[i] = new double[] {pair.getJsonNumber(0).doubleValue(), pair.getJsonNumber(1).doubleValue()};
        }
        JsonObject dynamic = manifest.output().getJsonObject("dynamicInput");
        if (dynamic == null) {
            this.passes = List.of(new Pass(0, 0));
            this.multiple = 1;
            this.batch = DEFAULT_BATCH;
        } else {
            this.passes = dynamic.getJsonArray("passes").getValuesAs(JsonObject.class).stream()
                    .map(p -> new Pass(p.getInt("longSide"), p.containsKey("minBox")
                            ? p.getJsonNumber("minBox").doubleValue() : 0))
                    .toList();
            this.multiple = dynamic.getInt("multiple", 32);
            this.batch = Math.max(1, dynamic.getInt("batch", DEFAULT_BATCH));
            if (passes.isEmpty()) {
                throw new IllegalArgumentException("dynamicInput.passes is empty in " + manifest.version());
            }
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

    /** Faces in each frame: one inference per canvas size and pass (in chunks of {@code batch} frames). */
    @Override
    public List<List<FaceBox>> detect(List<RgbImage> frames) {
        if (frames.isEmpty()) {
            return List.of();
        }
        List<List<FaceBox>> candidates = emptyLists(frames.size());
        List<Integer> all = indexes(frames.size());
        for (Pass pass : passes) {
            runPass(pass, pass.minBox(), all, frames, candidates);
        }
        List<List<FaceBox>> faces = new ArrayList<>(frames.size());
        for (List<FaceBox> found : candidates) {
            faces.add(nonMaximumSuppression(found, manifest.iouThreshold()));
        }
        return faces;
    }

    /**
     * Frames of one video: the coarse pass on every frame, the fine pass only on every {@link #VIDEO_PROBE_EVERY}th
     * frame unless those probes find a face the coarse pass missed (a face too small for it: then the fine pass runs
     * on every frame, as {@link #detect} does). A scene does not change its faces' sizes from one sampled frame to the
     * next, and the fine pass costs 3.8x the coarse one: a video of faces 10% of the frame or larger pays about 40%
     * of {@link #detect}'s time, one with small faces the same.
     */
    @Override
    public List<List<FaceBox>> detectInVideo(List<RgbImage> frames) {
        if (passes.size() != 2 || frames.size() <= VIDEO_PROBE_EVERY) {
            return detect(frames);
        }
        Pass fine = passes.get(0).longSide() >= passes.get(1).longSide() ? passes.get(0) : passes.get(1);
        Pass coarse = fine == passes.get(0) ? passes.get(1) : passes.get(0);
        List<Integer> all = indexes(frames.size());
        List<Integer> probes = all.stream().filter(i -> i % VIDEO_PROBE_EVERY == 0).toList();
        List<List<FaceBox>> coarseFound = emptyLists(frames.size());
        List<List<FaceBox>> fineFound = emptyLists(frames.size());
        runPass(coarse, 0, all, frames, coarseFound);
        runPass(fine, fine.minBox(), probes, frames, fineFound);
        boolean smallFaces = probes.stream().anyMatch(i -> fineFound.get(i).stream()
                .anyMatch(face -> coarseFound.get(i).stream().noneMatch(c -> c.iou(face) > SAME_FACE_IOU)));
        if (smallFaces) {
            runPass(fine, fine.minBox(), all.stream().filter(i -> i % VIDEO_PROBE_EVERY != 0).toList(), frames,
                    fineFound);
        }
        List<List<FaceBox>> faces = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            boolean fineRan = smallFaces || i % VIDEO_PROBE_EVERY == 0;
            List<FaceBox> found = new ArrayList<>();
            if (fineRan) {
                // exactly detect()'s merge: the fine pass's boxes plus the coarse pass's big ones
                found.addAll(fineFound.get(i));
                double scale = canvasOf(coarse, frames.get(i)).scale();
                coarseFound.get(i).stream().filter(box -> bigEnough(box, scale, coarse.minBox())).forEach(found::add);
            } else {
                found.addAll(coarseFound.get(i));
            }
            faces.add(nonMaximumSuppression(found, manifest.iouThreshold()));
        }
        return faces;
    }

    /**
     * Frames per inference: all 32 of a video at once peak at hundreds of MB of activations (the first layers hold
     * 16 floats per canvas pixel), and 8 are as fast.
     */
    static final int DEFAULT_BATCH = 8;

    /** A video's frames between two fine-pass probes. */
    static final int VIDEO_PROBE_EVERY = 4;
    /** Two boxes this much overlapping are one face found twice. */
    static final double SAME_FACE_IOU = 0.3;

    /** Whether a box is at least {@code minBox} pixels on its larger side once on a canvas at {@code scale}. */
    private static boolean bigEnough(FaceBox box, double scale, double minBox) {
        return Math.max(box.width(), box.height()) * scale >= minBox;
    }

    private static List<Integer> indexes(int count) {
        return java.util.stream.IntStream.range(0, count).boxed().toList();
    }

    private static List<List<FaceBox>> emptyLists(int count) {
        List<List<FaceBox>> lists = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lists.add(new ArrayList<>());
        }
        return lists;
    }

    private Canvas canvasOf(Pass pass, RgbImage frame) {
        return pass.longSide() == 0
                ? fixedCanvas(frame.width(), frame.height(), manifest.input().width(), manifest.input().height())
                : canvasFor(frame.width(), frame.height(), pass.longSide(), multiple);
    }

    /** One pass over the frames at {@code indexes}, grouped by canvas (one tensor shape each), in chunks of {@code batch}. */
    private void runPass(Pass pass, double minBox, List<Integer> indexes, List<RgbImage> frames,
                         List<List<FaceBox>> candidates) {
        Map<Canvas, List<Integer>> groups = new LinkedHashMap<>();
        for (int i : indexes) {
            groups.computeIfAbsent(canvasOf(pass, frames.get(i)), c -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Canvas, List<Integer>> group : groups.entrySet()) {
            List<Integer> members = group.getValue();
            for (int from = 0; from < members.size(); from += batch) {
                run(group.getKey(), minBox, members.subList(from, Math.min(members.size(), from + batch)), frames,
                        candidates);
            }
        }
    }

    private void run(Canvas canvas, double minBox, List<Integer> chunk, List<RgbImage> frames, List<List<FaceBox>> candidates) {
        ModelManifest.Input nominal = manifest.input();
        ModelManifest.Input input = new ModelManifest.Input(nominal.name(), nominal.layout(), canvas.width(),
                canvas.height(), nominal.channelOrder(), nominal.scale(), nominal.mean(), nominal.std());
        float[] tensor = new float[chunk.size() * input.size()];
        for (int i = 0; i < chunk.size(); i++) {
            write(frames.get(chunk.get(i)).placed(canvas.width(), canvas.height(), canvas.scale()), input, tensor,
                    i * input.size());
        }
        try (OnnxTensor batchTensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(tensor),
                input.shape(chunk.size()));
             OrtSession.Result result = session.run(Map.of(input.name(), batchTensor))) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            long[] shape = output.getInfo().getShape();  // [N, anchors*5, rows, cols]
            int rows = (int) shape[2];
            int cols = (int) shape[3];
            FloatBuffer raw = output.getFloatBuffer();
            float[] values = new float[raw.remaining()];
            raw.get(values);
            int perImage = (int) (shape[1] * rows * cols);
            for (int i = 0; i < chunk.size(); i++) {
                RgbImage frame = frames.get(chunk.get(i));
                for (FaceBox box : decode(values, i * perImage, rows, cols, canvas.width() / (double) cols,
                        canvas.height() / (double) rows, anchors, canvas.scale(), manifest.scoreThreshold(),
                        frame.width(), frame.height())) {
                    if (bigEnough(box, canvas.scale(), minBox)) {
                        candidates.get(chunk.get(i)).add(box);
                    }
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("face detection failed", e);
        }
    }

    /**
     * {@link ModelManifest.Input#write} through a per-channel lookup table (an 8-bit pixel has 256 values): the same
     * numbers, several times faster on the large canvases.
     */
    static void write(RgbImage image, ModelManifest.Input input, float[] out, int offset) {
        float[][] table = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                table[c][v] = (float) ((v / input.scale() - input.mean()[c]) / input.std()[c]);
            }
        }
        boolean bgr = "BGR".equalsIgnoreCase(input.channelOrder());
        boolean nchw = !"NHWC".equalsIgnoreCase(input.layout());
        byte[] rgb = image.rgb();
        int pixels = input.width() * input.height();
        for (int c = 0; c < 3; c++) {
            float[] lut = table[c];
            int source = bgr ? 2 - c : c;
            if (nchw) {
                int target = offset + c * pixels;
                for (int p = 0; p < pixels; p++) {
                    out[target + p] = lut[rgb[p * 3 + source] & 0xFF];
                }
            } else {
                for (int p = 0; p < pixels; p++) {
                    out[offset + p * 3 + c] = lut[rgb[p * 3 + source] & 0xFF];
                }
            }
        }
    }

    /** face-api.js's fixed input: the frame scaled to fit the {@code width x height} canvas. */
    static Canvas fixedCanvas(int frameWidth, int frameHeight, int width, int height) {
        return new Canvas(width, height, Math.min(width / (double) frameWidth, height / (double) frameHeight));
    }

    /** The frame scaled so that its long side is {@code longSide}, on a canvas padded up to multiples of {@code multiple}. */
    static Canvas canvasFor(int frameWidth, int frameHeight, int longSide, int multiple) {
        double scale = longSide / (double) Math.max(frameWidth, frameHeight);
        int w = (int) Math.round(frameWidth * scale);
        int h = (int) Math.round(frameHeight * scale);
        return new Canvas(roundUp(Math.max(1, w), multiple), roundUp(Math.max(1, h), multiple), scale);
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    /**
     * Boxes over {@code threshold} in one image's raw output, in frame pixels (before NMS).
     *
     * @param raw    flat NCHW output; the image starts at {@code offset}: channel {@code a*5 + k} ({@code k} = tx, ty,
     *               tw, th, objectness logit) of cell (row, col) is at {@code offset + ((a*5 + k)*rows + row)*cols + col}
     * @param strideX canvas pixels per grid column (and {@code strideY} per row)
     * @param scale  frame pixels to canvas pixels; the frame sits at the canvas' top-left, so there is no offset
     */
    static List<FaceBox> decode(float[] raw, int offset, int rows, int cols, double strideX, double strideY,
                                double[][] anchors, double scale, double threshold, int frameWidth, int frameHeight) {
        int plane = rows * cols;
        List<FaceBox> candidates = new ArrayList<>();
        for (int a = 0; a < anchors.length; a++) {
            int base = offset + a * 5 * plane;
            for (int row = 0; row < rows; row++) {
                for (int col = 0; col < cols; col++) {
                    int cell = row * cols + col;
                    double score = sigmoid(raw[base + 4 * plane + cell]);
                    if (score <= threshold) {
                        continue;
                    }
                    double cx = (col + sigmoid(raw[base + cell])) * strideX;
                    double cy = (row + sigmoid(raw[base + plane + cell])) * strideY;
                    double w = Math.exp(raw[base + 2 * plane + cell]) * anchors[a][0] * strideX;
                    double h = Math.exp(raw[base + 3 * plane + cell]) * anchors[a][1] * strideY;
                    candidates.add(new FaceBox(
                            clamp((cx - w / 2) / scale, frameWidth), clamp((cy - h / 2) / scale, frameHeight),
                            clamp((cx + w / 2) / scale, frameWidth), clamp((cy + h / 2) / scale, frameHeight), score));
                }
            }
        }
        return candidates;
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
