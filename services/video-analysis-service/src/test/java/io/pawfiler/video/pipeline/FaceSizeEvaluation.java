package io.pawfiler.video.pipeline;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import javax.imageio.ImageIO;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Not a test: recall and false positives of the face detector by face size, on the labelled set written by
 * {@code tools/models/face_detector/make_face_size_set.py} (faces pasted at known positions onto face-free pictures).
 * A detection is a true positive when its IoU with a not-yet-matched pasted face box is at least 0.3 (the detector's
 * boxes are looser than the hand-drawn ones); every other detection is a false positive. Run:
 * <pre>
 * /usr/bin/python3 tools/models/face_detector/make_face_size_set.py --out /tmp/face-sizes
 * ./mvnw -B -q -pl services/video-analysis-service test-compile exec:java \
 *     -Dexec.classpathScope=test -Dexec.mainClass=io.pawfiler.video.pipeline.FaceSizeEvaluation \
 *     -Dexec.args="/tmp/face-sizes [detector.json|classpath:models/face-detector.json] [passes: longSide[:minBox],..., e.g. 832,320:64 | fixed] [scoreThreshold]"
 * </pre>
 */
public final class FaceSizeEvaluation {

    static final double MIN_IOU = 0.3;

    private FaceSizeEvaluation() {
    }

    /** Per face size (null = face-free frames): counts. */
    static final class Tally {
        int frames;
        int faces;
        int found;
        int falsePositives;
        double iouSum;
    }

    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        ModelManifest manifest = ModelManifest.load(args.length > 1 ? args[1] : "classpath:models/face-detector.json");
        if (args.length > 2) {
            manifest = withLongSides(manifest, args[2]);
        }
        if (args.length > 3) {
            manifest = new ModelManifest(manifest.name(), manifest.version(), manifest.model(), manifest.input(),
                    manifest.output(), manifest.faceMargin(), Double.parseDouble(args[3]), manifest.iouThreshold(),
                    manifest.json());
        }
        JsonObject labels = Json.createReader(new StringReader(Files.readString(folder.resolve("labels.json"))))
                .readObject();
        List<JsonObject> entries = labels.getJsonArray("frames").getValuesAs(JsonObject.class);
        TreeMap<Double, Tally> bySize = new TreeMap<>();
        Tally negatives = new Tally();
        TreeMap<String, Tally> byFace = new TreeMap<>();
        long detectNanos = 0;
        try (FaceDetector detector = new FaceDetector(manifest)) {
            detector.detect(List.of(read(folder, entries.get(0))));  // warm-up
            int chunk = 8;
            for (int from = 0; from < entries.size(); from += chunk) {
                List<JsonObject> part = entries.subList(from, Math.min(entries.size(), from + chunk));
                List<RgbImage> images = part.stream().map(e -> read(folder, e)).toList();
                long t = System.nanoTime();
                List<List<FaceBox>> found = detector.detect(images);
                detectNanos += System.nanoTime() - t;
                for (int i = 0; i < part.size(); i++) {
                    JsonObject entry = part.get(i);
                    Tally tally = entry.isNull("size") ? negatives
                            : bySize.computeIfAbsent(entry.getJsonNumber("size").doubleValue(), s -> new Tally());
                    List<FaceBox> truth = new ArrayList<>();
                    for (JsonArray box : entry.getJsonArray("faces").getValuesAs(JsonArray.class)) {
                        truth.add(new FaceBox(box.getJsonNumber(0).doubleValue(), box.getJsonNumber(1).doubleValue(),
                                box.getJsonNumber(2).doubleValue(), box.getJsonNumber(3).doubleValue(), 1));
                    }
                    score(found.get(i), truth, tally);
                    if (!entry.isNull("face")) {
                        score(found.get(i), truth, byFace.computeIfAbsent(entry.getString("face") + " "
                                + (entry.getJsonNumber("size").doubleValue() < 0.1 ? "3-8%" : "12-40%"),
                                f -> new Tally()));
                    }
                }
            }
            System.out.printf(Locale.ROOT, "detector %s, passes %s, score threshold %.2f, %d frames %dx%d, detect %.1f ms/frame%n",
                    manifest.version(), describe(manifest), manifest.scoreThreshold(), entries.size(),
                    labels.getInt("width"), labels.getInt("height"), detectNanos / 1e6 / entries.size());
        }
        System.out.println("| face width / frame width | face px (1280 wide) | faces | found | recall | false positives (per frame) | mean IoU of hits |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        bySize.forEach((size, t) -> System.out.printf(Locale.ROOT, "| %.0f%% | %.0f | %d | %d | %.2f | %d (%.3f) | %.2f |%n",
                size * 100, size * labels.getInt("width"), t.faces, t.found, t.found / (double) t.faces,
                t.falsePositives, t.falsePositives / (double) t.frames, t.found == 0 ? 0 : t.iouSum / t.found));
        System.out.printf(Locale.ROOT, "| no face (%d frames) | | 0 | | | %d (%.3f) | |%n", negatives.frames,
                negatives.falsePositives, negatives.falsePositives / (double) Math.max(1, negatives.frames));
        StringBuilder faces = new StringBuilder("recall by source face:");
        byFace.forEach((face, t) -> faces.append(String.format(Locale.ROOT, " %s %d/%d;", face, t.found, t.faces)));
        System.out.println(faces);
    }

    /** Greedy matching, best detection first. */
    static void score(List<FaceBox> detections, List<FaceBox> truth, Tally tally) {
        List<FaceBox> free = new ArrayList<>(truth);
        tally.frames++;
        tally.faces += truth.size();
        List<FaceBox> sorted = new ArrayList<>(detections);
        sorted.sort((a, b) -> Double.compare(b.score(), a.score()));
        for (FaceBox d : sorted) {
            FaceBox best = null;
            for (FaceBox t : free) {
                if (best == null || d.iou(t) > d.iou(best)) {
                    best = t;
                }
            }
            if (best != null && d.iou(best) >= MIN_IOU) {
                free.remove(best);
                tally.found++;
                tally.iouSum += d.iou(best);
            } else {
                tally.falsePositives++;
            }
        }
    }

    private static RgbImage read(Path folder, JsonObject entry) {
        try {
            return RgbImage.of(ImageIO.read(folder.resolve(entry.getString("file")).toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(ModelManifest manifest) {
        JsonObject dynamic = manifest.output().getJsonObject("dynamicInput");
        return dynamic == null ? "fixed " + manifest.input().width() + "x" + manifest.input().height()
                : "passes " + dynamic.getJsonArray("passes");
    }

    /**
     * The manifest with {@code output.dynamicInput.passes} replaced by {@code longSide[:minBox],...} ("fixed" removes
     * dynamicInput: face-api.js's square 416 input).
     */
    static ModelManifest withLongSides(ModelManifest manifest, String longSides) {
        JsonObjectBuilder output = Json.createObjectBuilder(manifest.output());
        if (longSides.equals("fixed")) {
            output.remove("dynamicInput");
        } else {
            JsonObject dynamic = manifest.output().getJsonObject("dynamicInput");
            JsonObjectBuilder builder = dynamic == null ? Json.createObjectBuilder().add("multiple", 32)
                    : Json.createObjectBuilder(dynamic);
            var passes = Json.createArrayBuilder();
            for (String pass : longSides.split(",")) {
                String[] parts = pass.trim().split(":");
                JsonObjectBuilder item = Json.createObjectBuilder().add("longSide", Integer.parseInt(parts[0]));
                if (parts.length > 1) {
                    item.add("minBox", Double.parseDouble(parts[1]));
                }
                passes.add(item);
            }
            output.add("dynamicInput", builder.add("passes", passes));
        }
        return new ModelManifest(manifest.name(), manifest.version(), manifest.model(), manifest.input(),
                output.build(), manifest.faceMargin(), manifest.scoreThreshold(), manifest.iouThreshold(),
                manifest.json());
    }
}
