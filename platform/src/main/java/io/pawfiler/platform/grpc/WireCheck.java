package io.pawfiler.platform.grpc;

import java.io.IOException;
import java.util.Optional;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;

/**
 * Checks the bytes of a request message against its descriptor before protobuf parses them, and names the field at
 * fault: a string that is not UTF-8, a known field sent with another wire type (protobuf would silently keep it as
 * an unknown field and the service would see the field unset), a value cut short, nesting deeper than protobuf's
 * 100 levels, and a NUL character in a string (no service can store one: PostgreSQL text cannot hold U+0000, and no
 * name, title or id has a use for it). Problems outside any known field are reported for {@code request}. Pure: no
 * I/O, no framework.
 */
public final class WireCheck {

    /** protobuf-java's default recursion limit. */
    static final int MAX_DEPTH = 100;
    static final String WHOLE_MESSAGE = "request";

    /** The field at fault (a dotted path, {@code request} for the message as a whole) and what is wrong with it. */
    public record Problem(String field, String message) {
    }

    private final int total;

    private WireCheck(int total) {
        this.total = total;
    }

    /** The first problem of {@code bytes} as a message of {@code type}, if any. */
    public static Optional<Problem> problem(byte[] bytes, Descriptor type) {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        try {
            return Optional.ofNullable(new WireCheck(bytes.length).message(in, type, "", 0, -1));
        } catch (IOException e) {
            return Optional.of(new Problem(WHOLE_MESSAGE, "is not a valid " + type.getName() + " message"));
        }
    }

    /** Reads fields until the end (or the end-group of {@code groupNumber}); the first problem, or null. */
    private Problem message(CodedInputStream in, Descriptor type, String path, int depth, int groupNumber)
            throws IOException {
        String here = path.isEmpty() ? WHOLE_MESSAGE : path;
        while (!in.isAtEnd()) {
            int tag;
            try {
                tag = in.readTag();
            } catch (IOException e) {
                return new Problem(here, "contains an invalid field tag");
            }
            int number = WireFormat.getTagFieldNumber(tag);
            int wireType = WireFormat.getTagWireType(tag);
            if (wireType == WireFormat.WIRETYPE_END_GROUP) {
                if (number == groupNumber) {
                    return null;
                }
                return new Problem(here, "contains an end-group tag without its start");
            }
            if (wireType > WireFormat.WIRETYPE_FIXED32) {
                return new Problem(here, "contains an invalid wire type " + wireType);
            }
            FieldDescriptor field = type == null ? null : type.findFieldByNumber(number);
            if (field == null) {
                Problem unknown = skipUnknown(in, tag, here, depth);
                if (unknown != null) {
                    return unknown;
                }
                continue;
            }
            String name = path.isEmpty() ? field.getName() : path + "." + field.getName();
            int expected = field.getLiteType().getWireType();
            boolean packed = field.isRepeated() && field.getLiteType().isPackable()
                    && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            if (wireType != expected && !packed) {
                return new Problem(name, "has the wrong wire type for a " + typeName(field));
            }
            try {
                Problem nested = value(in, field, tag, name, depth, packed);
                if (nested != null) {
                    return nested;
                }
            } catch (IOException e) {
                return new Problem(name, "is cut short");
            }
        }
        if (groupNumber >= 0) {
            return new Problem(here, "ends inside a group");
        }
        return null;
    }

    private Problem value(CodedInputStream in, FieldDescriptor field, int tag, String name, int depth,
                                 boolean packed) throws IOException {
        if (packed) {
            in.skipField(tag);
            return null;
        }
        switch (field.getType()) {
            case STRING -> {
                ByteString value = in.readBytes();
                if (!value.isValidUtf8()) {
                    return new Problem(name, "is not valid UTF-8");
                }
                for (int i = 0; i < value.size(); i++) {
                    if (value.byteAt(i) == 0) {
                        return new Problem(name, "contains a NUL character");
                    }
                }
                return null;
            }
            case MESSAGE -> {
                if (depth + 1 >= MAX_DEPTH) {
                    return new Problem(name, "is nested deeper than " + MAX_DEPTH + " levels");
                }
                int length = in.readRawVarint32();
                if (length < 0 || length > total - in.getTotalBytesRead()) {
                    return new Problem(name, "is cut short");
                }
                int limit = in.pushLimit(length);
                Problem nested = message(in, field.getMessageType(), name, depth + 1, -1);
                if (nested != null) {
                    return nested;
                }
                if (!in.isAtEnd()) {
                    return new Problem(name, "is cut short");
                }
                in.popLimit(limit);
                return null;
            }
            case GROUP -> {
                if (depth + 1 >= MAX_DEPTH) {
                    return new Problem(name, "is nested deeper than " + MAX_DEPTH + " levels");
                }
                return message(in, field.getMessageType(), name, depth + 1, field.getNumber());
            }
            default -> {
                in.skipField(tag);
                return null;
            }
        }
    }

    /** Skips a field the schema does not know (a newer client's, say); groups are followed, as protobuf does. */
    private Problem skipUnknown(CodedInputStream in, int tag, String here, int depth) {
        try {
            if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_START_GROUP) {
                if (depth + 1 >= MAX_DEPTH) {
                    return new Problem(here, "is nested deeper than " + MAX_DEPTH + " levels");
                }
                return message(in, null, here, depth + 1, WireFormat.getTagFieldNumber(tag));
            }
            in.skipField(tag);
            return null;
        } catch (IOException e) {
            return new Problem(here, "is cut short");
        }
    }

    private static String typeName(FieldDescriptor field) {
        return field.getType().name().toLowerCase();
    }
}
