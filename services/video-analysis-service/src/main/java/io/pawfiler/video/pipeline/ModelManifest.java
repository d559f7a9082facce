package io.pawfiler.video.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * How to feed a model and read its answer (tools/models/*.json): any ONNX image classifier or detector following
 * this contract plugs in without code changes. {@code json} is the whole manifest, for model-specific blocks
 * (the scorer's {@code calibration} and {@code decision}).
 */
public record ModelManifest(String name, String version, byte[] model, Input input, JsonObject output,
                            double faceMargin, double scoreThreshold, double iouThreshold, JsonObject json) {

    /** Tensor layout and normalisation: {@code x = (pixel / scale - mean[c]) / std[c]} in {@code channelOrder}. */
    public record Input(String name, String layout, int width, int height, String channelOrder, double scale,
                        double[] mean, double[] std) {

        /** Fills {@code out} at {@code offset} with the image (already {@code width x height}) as one tensor item. */
        public void write(RgbImage image, float[] out, int offset) {
            boolean bgr = "BGR".equalsIgnoreCase(channelOrder);
            boolean nchw = !"NHWC".equalsIgnoreCase(layout);
            int plane = width * height;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < 3; c++) {
                        int source = bgr ? 2 - c : c;
                        float value = (float) ((image.at(x, y, source) / scale - mean[c]) / std[c]);
                        int index = nchw ? c * plane + y * width + x : (y * width + x) * 3 + c;
                        out[offset + index] = value;
                    }
                }
            }
        }

        public int size() {
            return width * height * 3;
        }

        public long[] shape(int batch) {
            return "NHWC".equalsIgnoreCase(layout) ? new long[] {batch, height, width, 3}
                    : new long[] {batch, 3, height, width};
        }
    }

    /** Reads a manifest from the classpath ({@code classpath:models/x.json}) or a file path; the model sits next to it. */
    public static ModelManifest load(String location) {
        try {
            if (location.startsWith("classpath:")) {
                String resource = location.substring("classpath:".length());
                String base = resource.contains("/") ? resource.substring(0, resource.lastIndexOf('/') + 1) : "";
                JsonObject json = parse(readResource(resource));
                return of(json, readResource(base + json.getString("file")));
            }
            Path manifest = Path.of(location);
            JsonObject json = parse(Files.readAllBytes(manifest));
            return of(json, Files.readAllBytes(manifest.resolveSibling(json.getString("file"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model manifest " + location, e);
        }
    }

    private static ModelManifest of(JsonObject json, byte[] model) {
        JsonObject in = json.getJsonObject("input");
        Input input = new Input(in.getString("name"), in.getString("layout", "NCHW"), in.getInt("width"),
                in.getInt("height"), in.getString("channelOrder", "RGB"), in.getJsonNumber("scale").doubleValue(),
                doubles(in.getJsonArray("mean")), doubles(in.getJsonArray("std")));
        return new ModelManifest(json.getString("name"), json.getString("version"), model, input,
                json.getJsonObject("output"), number(json, "faceMargin", 0.3), number(json, "scoreThreshold", 0.5),
                number(json, "iouThreshold", 0.4), json);
    }

    private static double number(JsonObject json, String key, double fallback) {
        return json.containsKey(key) && json.get(key).getValueType() == JsonValue.ValueType.NUMBER
                ? json.getJsonNumber(key).doubleValue() : fallback;
    }

    private static double[] doubles(JsonArray array) {
        List<JsonValue> values = array;
        return values.stream().mapToDouble(v -> ((jakarta.json.JsonNumber) v).doubleValue()).toArray();
    }

    private static JsonObject parse(byte[] json) {
        return Json.createReader(new StringReader(new String(json, StandardCharsets.UTF_8))).readObject();
    }

    private static byte[] readResource(String resource) throws IOException {
        try (InputStream in = ModelManifest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource);
            }
            return in.readAllBytes();
        }
    }
}
