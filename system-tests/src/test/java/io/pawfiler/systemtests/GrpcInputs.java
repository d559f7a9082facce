package io.pawfiler.systemtests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.WireFormat;

/**
 * Request messages for one gRPC method, from its descriptor and a seeded {@link Random}: well-typed random values,
 * boundaries, and bytes no valid client sends (invalid UTF-8, wrong wire types, truncation, deep nesting, oversize).
 */
final class GrpcInputs {

    /** What the answer must be. */
    enum Expect {
        /** anything but a server failure */
        ANY,
        /** INVALID_ARGUMENT naming {@link Input#field} */
        INVALID_FIELD,
        /** a refusal: INVALID_ARGUMENT or RESOURCE_EXHAUSTED, never OK */
        REFUSED
    }

    record Input(String name, byte[] bytes, Expect expect, String field) {
    }

    /** Over grpc-java's (and the platform's) default 4 MiB limit. */
    static final int OVERSIZE_BYTES = 5 * 1024 * 1024;
    private static final int MAX_DEPTH = 4;
    private static final int UNKNOWN_FIELD = 999;

    /** Strings people and attackers type: empty, blanks, controls, bidi, emoji, combining marks, injections, huge. */
    static final List<String> EDGE_STRINGS = List.of("", " ", "   \t\n", "a", "\u0000", "a\u0000b",
            "\u202Eevil\u202C", "\u05E9\u05DC\u05D5\u05DD", "🐾👨‍👩‍👧‍👦", "e" + "\u0301".repeat(200), "\u200B", "\uFEFFx",
            "\uD800", "x\uDC00y", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%s%n%x",
            "null", "-1", "9223372036854775808", "http://127.0.0.1:1/x", "file:///etc/passwd",
            "00000000-0000-4000-8000-000000000001", "x".repeat(70_000));

    private final Random random;
    private final List<String> knownIds;

    GrpcInputs(Random random, List<String> knownIds) {
        this.random = random;
        this.knownIds = knownIds;
    }

    List<Input> forMessage(Descriptor type, int randomCount) {
        List<Input> inputs = new ArrayList<>();
        inputs.add(new Input("empty", new byte[0], Expect.ANY, null));
        for (int i = 0; i < randomCount; i++) {
            inputs.add(new Input("random#" + i, randomMessage(type, 0).toByteArray(), Expect.ANY, null));
        }
        for (Boundary boundary : Boundary.values()) {
            inputs.add(new Input("boundary:" + boundary, boundaryMessage(type, boundary, 0).toByteArray(), Expect.ANY,
                    null));
        }
        // edge values in each field on its own (the others ordinary): NUL, huge, bidi/emoji/combining, extremes
        for (FieldDescriptor field : type.getFields().subList(0, Math.min(8, type.getFields().size()))) {
            List<Object> values = switch (field.getJavaType()) {
                case STRING -> List.of("a\u0000b", "x".repeat(70_000), "\u202E🐾e\u0301\u0301", "\uD800");
                case INT -> List.of(-1, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case LONG -> List.of(-1L, Long.MIN_VALUE, Long.MAX_VALUE);
                default -> List.of();
            };
            for (Object value : values) {
                DynamicMessage.Builder message = randomMessage(type, 0).toBuilder();
                if (field.isRepeated()) {
                    message.clearField(field).addRepeatedField(field, value);
                } else {
                    message.setField(field, value);
                }
                String shown = String.valueOf(value);
                inputs.add(new Input("edge:" + field.getName() + "=" + (shown.length() > 12 ? shown.substring(0, 12)
                        + "…" : shown).replace("\u0000", "\\0"), message.build().toByteArray(), Expect.ANY, null));
            }
        }
        // invalid UTF-8 in every string field (nested ones included), a few encodings of it
        byte[][] invalid = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xC0, (byte) 0x80}, {'o', 'k', (byte) 0xE2, (byte) 0x82}};
        List<List<FieldDescriptor>> stringPaths = new ArrayList<>();
        collectStringPaths(type, new ArrayList<>(), stringPaths, 0);
        int n = 0;
        for (List<FieldDescriptor> path : stringPaths.subList(0, Math.min(8, stringPaths.size()))) {
            byte[] bad = invalid[n++ % invalid.length];
            // alone in the message: a random sibling could carry a problem of its own (a NUL) reported first
            inputs.add(new Input("invalid-utf8:" + dotted(path), nested(path, bad), Expect.INVALID_FIELD,
                    path.get(path.size() - 1).getName()));
        }
        // a known field number with another wire type
        for (FieldDescriptor field : type.getFields().subList(0, Math.min(8, type.getFields().size()))) {
            inputs.add(new Input("wrong-wire-type:" + field.getName(), wrongWireType(field), Expect.INVALID_FIELD,
                    field.getName()));
        }
        // truncated: the last byte of a message cut off is always inside its last field
        byte[] full = randomMessage(type, 0).toByteArray();
        inputs.add(new Input("truncated", full.length > 1 ? Arrays.copyOf(full, full.length - 1) : new byte[] {0x0A},
                Expect.REFUSED, null));
        inputs.add(new Input("truncated-length", new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, 0x7F}, Expect.REFUSED,
                null));
        inputs.add(new Input("varint-overlong", new byte[] {0x08, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}, Expect.REFUSED, null));
        inputs.add(new Input("field-number-0", new byte[] {0x00, 0x01}, Expect.REFUSED, null));
        inputs.add(new Input("end-group-without-start", new byte[] {(byte) 0xBC, 0x3E}, Expect.REFUSED, null));
        // nesting deeper than any parser should follow (unknown groups, which protobuf parses recursively)
        inputs.add(new Input("nested-groups-200", nestedGroups(200), Expect.REFUSED, null));
        inputs.add(new Input("nested-groups-unbalanced", Arrays.copyOf(nestedGroups(50), 50 * 2), Expect.REFUSED, null));
        // deepest well-typed nesting the schema allows
        inputs.add(new Input("nested-max-depth", randomMessage(type, -MAX_DEPTH * 2).toByteArray(), Expect.ANY, null));
        for (int i = 0; i < 3; i++) {
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            inputs.add(new Input("garbage#" + i, garbage, Expect.ANY, null));
        }
        // over the size limit: an unknown field the size of a video
        inputs.add(new Input("oversize-5MiB", concat(randomMessage(type, 0).toByteArray(),
                lengthDelimited(UNKNOWN_FIELD, new byte[OVERSIZE_BYTES])), Expect.REFUSED, null));
        return inputs;
    }

    private enum Boundary { ZERO, MINUS_ONE, MIN, MAX, EMPTY_STRINGS, HUGE_STRINGS, MAX_REPEATED }

    private DynamicMessage boundaryMessage(Descriptor type, Boundary boundary, int depth) {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        for (FieldDescriptor field : type.getFields()) {
            if (field.getContainingOneof() != null && builder.hasOneof(field.getContainingOneof())) {
                continue;
            }
            int count = !field.isRepeated() ? 1 : boundary == Boundary.MAX_REPEATED && depth == 0 ? 10_000 : 1;
            for (int i = 0; i < count; i++) {
                Object value = boundaryValue(field, boundary, depth);
                if (value == null) {
                    break;
                }
                put(builder, field, value);
            }
        }
        return builder.build();
    }

    /** Sets a field, or adds one more element to a repeated one. */
    private static void put(DynamicMessage.Builder builder, FieldDescriptor field, Object value) {
        if (field.isRepeated()) {
            builder.addRepeatedField(field, value);
        } else {
            builder.setField(field, value);
        }
    }

    private Object boundaryValue(FieldDescriptor field, Boundary boundary, int depth) {
        return switch (field.getJavaType()) {
            case INT -> switch (boundary) {
                case MINUS_ONE -> -1;
                case MIN -> Integer.MIN_VALUE;
                case MAX, HUGE_STRINGS, MAX_REPEATED -> Integer.MAX_VALUE;
                default -> 0;
            };
            case LONG -> switch (boundary) {
                case MINUS_ONE -> -1L;
                case MIN -> Long.MIN_VALUE;
                case MAX, HUGE_STRINGS, MAX_REPEATED -> Long.MAX_VALUE;
                default -> 0L;
            };
            case FLOAT -> switch (boundary) {
                case MINUS_ONE -> -1f;
                case MIN -> Float.NEGATIVE_INFINITY;
                case MAX -> Float.NaN;
                default -> Float.MAX_VALUE;
            };
            case DOUBLE -> switch (boundary) {
                case MINUS_ONE -> -1d;
                case MIN -> Double.NEGATIVE_INFINITY;
                case MAX -> Double.NaN;
                default -> Double.MAX_VALUE;
            };
            case BOOLEAN -> boundary != Boundary.ZERO;
            case STRING -> switch (boundary) {
                case EMPTY_STRINGS, ZERO -> "";
                case HUGE_STRINGS -> "가".repeat(100_000); // ~300 KB of UTF-8 per field
                case MINUS_ONE -> "-1";
                case MIN -> "\u0000";
                case MAX -> "9".repeat(400);
                case MAX_REPEATED -> "r";
            };
            case BYTE_STRING -> boundary == Boundary.HUGE_STRINGS ? ByteString.copyFrom(new byte[1 << 20])
                    : ByteString.EMPTY;
            case ENUM -> switch (boundary) {
                case MINUS_ONE -> field.getEnumType().findValueByNumberCreatingIfUnknown(-1);
                case MIN -> field.getEnumType().findValueByNumberCreatingIfUnknown(Integer.MIN_VALUE);
                case MAX -> field.getEnumType().findValueByNumberCreatingIfUnknown(Integer.MAX_VALUE);
                default -> field.getEnumType().getValues().get(0);
            };
            case MESSAGE -> depth >= MAX_DEPTH ? null : boundaryMessage(field.getMessageType(), boundary, depth + 1);
        };
    }

    /** A well-typed message with random values; {@code depth} below 0 nests deeper than usual. */
    DynamicMessage randomMessage(Descriptor type, int depth) {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        for (FieldDescriptor field : type.getFields()) {
            if (random.nextInt(4) == 0 && depth >= 0) {
                continue; // left unset
            }
            if (field.getContainingOneof() != null && builder.hasOneof(field.getContainingOneof())) {
                continue;
            }
            int count = field.isRepeated() ? random.nextInt(4) : 1;
            for (int i = 0; i < count; i++) {
                Object value = randomValue(field, depth);
                if (value == null) {
                    break;
                }
                put(builder, field, value);
            }
        }
        return builder.build();
    }

    private Object randomValue(FieldDescriptor field, int depth) {
        return switch (field.getJavaType()) {
            case INT -> pick(0, 1, -1, 3, 100, 10_000, Integer.MIN_VALUE, Integer.MAX_VALUE, random.nextInt());
            case LONG -> pick(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 253_402_300_800L, -62_135_596_801L,
                    random.nextLong());
            case FLOAT -> pick(0f, -0f, 0.5f, Float.NaN, Float.POSITIVE_INFINITY, -1e30f, random.nextFloat());
            case DOUBLE -> pick(0d, -0d, 0.5d, Double.NaN, Double.NEGATIVE_INFINITY, 1e308, random.nextDouble());
            case BOOLEAN -> random.nextBoolean();
            case STRING -> randomString();
            case BYTE_STRING -> {
                byte[] bytes = new byte[random.nextInt(32)];
                random.nextBytes(bytes);
                yield ByteString.copyFrom(bytes);
            }
            case ENUM -> random.nextInt(5) == 0
                    ? field.getEnumType().findValueByNumberCreatingIfUnknown(pick(-1, 99, Integer.MAX_VALUE))
                    : field.getEnumType().getValues().get(random.nextInt(field.getEnumType().getValues().size()));
            case MESSAGE -> Math.abs(depth) >= MAX_DEPTH * (depth < 0 ? 2 : 1) ? null
                    : randomMessage(field.getMessageType(), depth < 0 ? depth + 1 : depth + 1);
        };
    }

    String randomString() {
        return switch (random.nextInt(5)) {
            case 0 -> EDGE_STRINGS.get(random.nextInt(EDGE_STRINGS.size()));
            case 1 -> knownIds.isEmpty() ? UUID.randomUUID().toString() : knownIds.get(random.nextInt(knownIds.size()));
            case 2 -> new UUID(random.nextLong(), random.nextLong()).toString();
            case 3 -> {
                StringBuilder s = new StringBuilder();
                int length = random.nextInt(40);
                for (int i = 0; i < length; i++) {
                    s.appendCodePoint(random.nextInt(3) == 0 ? 0xAC00 + random.nextInt(2000) : 0x20 + random.nextInt(95));
                }
                yield s.toString();
            }
            default -> "fuzz-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        };
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    private static void collectStringPaths(Descriptor type, List<FieldDescriptor> prefix,
                                           List<List<FieldDescriptor>> out, int depth) {
        for (FieldDescriptor field : type.getFields()) {
            List<FieldDescriptor> path = new ArrayList<>(prefix);
            path.add(field);
            if (field.getType() == FieldDescriptor.Type.STRING) {
                out.add(path);
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth < 2) {
                collectStringPaths(field.getMessageType(), path, out, depth + 1);
            }
        }
    }

    private static String dotted(List<FieldDescriptor> path) {
        return String.join(".", path.stream().map(FieldDescriptor::getName).toList());
    }

    /** The bytes of {@code leaf} as the value of the path's last field, wrapped in its parents. */
    private static byte[] nested(List<FieldDescriptor> path, byte[] leaf) {
        byte[] bytes = leaf;
        for (int i = path.size() - 1; i >= 0; i--) {
            bytes = lengthDelimited(path.get(i).getNumber(), bytes);
        }
        return bytes;
    }

    private static byte[] wrongWireType(FieldDescriptor field) {
        return encode(out -> {
            switch (field.getLiteJavaType()) {
                case STRING, BYTE_STRING, MESSAGE -> {
                    out.writeTag(field.getNumber(), WireFormat.WIRETYPE_VARINT);
                    out.writeUInt64NoTag(1);
                }
                case FLOAT -> {
                    out.writeTag(field.getNumber(), WireFormat.WIRETYPE_FIXED64);
                    out.writeFixed64NoTag(1);
                }
                case DOUBLE -> {
                    out.writeTag(field.getNumber(), WireFormat.WIRETYPE_FIXED32);
                    out.writeFixed32NoTag(1);
                }
                default -> { // varint types: fixed32 is wrong whether packed or not
                    out.writeTag(field.getNumber(), WireFormat.WIRETYPE_FIXED32);
                    out.writeFixed32NoTag(1);
                }
            }
        });
    }

    private static byte[] nestedGroups(int depth) {
        return encode(out -> {
            for (int i = 0; i < depth; i++) {
                out.writeTag(UNKNOWN_FIELD, WireFormat.WIRETYPE_START_GROUP);
            }
            for (int i = 0; i < depth; i++) {
                out.writeTag(UNKNOWN_FIELD, WireFormat.WIRETYPE_END_GROUP);
            }
        });
    }

    static byte[] lengthDelimited(int number, byte[] value) {
        return encode(out -> {
            out.writeTag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(value.length);
            out.writeRawBytes(value);
        });
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] encode(Writer writer) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            writer.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
