package io.pawfiler.systemtests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * REST inputs for one operation of an OpenAPI document: bodies built from its request schema with a seeded
 * {@link Random}, then broken: malformed JSON, wrong content types, 10 MB, unicode edge cases, negative and huge
 * numbers, missing, extra and wrongly typed fields; odd path and query values.
 */
final class RestInputs {

    record Body(String name, String contentType, byte[] bytes, boolean mustRefuse) {
    }

    static final int TEN_MB = 10 * 1024 * 1024;
    static final List<String> PATH_VALUES = List.of("-1", "99999999999999999999", "%F0%9F%90%BE", "%00",
            "%E2%80%AEevil", "..%2F..%2Fetc%2Fpasswd", "x".repeat(2000), "%ED%A0%80", "%FF", "e%CC%81%CC%81");
    static final List<String> QUERY_VALUES = List.of("-1", "-9223372036854775809", "99999999999999999999", "1e400",
            "abc", "", "%00", "%F0%9F%90%BE", "x".repeat(5000), "%FF");
    /** JSON literals for numeric fields: negative, beyond long, beyond double, fractions, strings, booleans. */
    static final List<String> NUMBERS = List.of("-1", "-9223372036854775809", "18446744073709551616", "1e400", "1.5",
            "-0", "\"12\"", "true");
    static final List<String> UNICODE = List.of("\\ud800", "a\\u0000b", "\u202Eevil\u202C", "🐾👨‍👩‍👧‍👦",
            "e" + "\u0301".repeat(300), "\u200B", "   ", "x".repeat(100_000));

    private final Random random;
    private final JsonObject schemas;

    RestInputs(Random random, JsonObject components) {
        this.random = random;
        this.schemas = components == null ? JsonValue.EMPTY_JSON_OBJECT
                : components.getJsonObject("schemas") == null ? JsonValue.EMPTY_JSON_OBJECT : components.getJsonObject("schemas");
    }

    /** The schema behind a {@code $ref}, or the schema itself. */
    JsonObject resolve(JsonObject schema) {
        if (schema == null) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        if (schema.containsKey("$ref")) {
            String name = schema.getString("$ref").substring(schema.getString("$ref").lastIndexOf('/') + 1);
            JsonObject target = schemas.getJsonObject(name);
            return target == null ? JsonValue.EMPTY_JSON_OBJECT : target;
        }
        return schema;
    }

    Map<String, JsonValue> properties(JsonObject schema) {
        JsonObject properties = resolve(schema).getJsonObject("properties");
        return properties == null ? Map.of() : properties;
    }

    /** A plausible body: every property with an ordinary value of its type. */
    JsonObject sample(JsonObject schema) {
        JsonObjectBuilder body = Json.createObjectBuilder();
        properties(schema).forEach((name, property) -> body.add(name, sampleValue(resolve(property.asJsonObject()), 0)));
        return body.build();
    }

    private JsonValue sampleValue(JsonObject schema, int depth) {
        String type = schema.getString("type", "object");
        return switch (type) {
            case "string" -> Json.createValue(schema.containsKey("enum") ? schema.getJsonArray("enum").getString(0)
                    : "fuzz-" + Long.toString(random.nextLong() & 0xFFFFFFL, 36));
            case "integer" -> Json.createValue(random.nextInt(20));
            case "number" -> Json.createValue(random.nextInt(100) / 4.0);
            case "boolean" -> random.nextBoolean() ? JsonValue.TRUE : JsonValue.FALSE;
            case "array" -> Json.createArrayBuilder().build();
            default -> depth > 2 ? JsonValue.EMPTY_JSON_OBJECT : sample(schema);
        };
    }

    /** The broken bodies of a JSON operation; {@code refusable}: every one of the malformed ones must be refused. */
    List<Body> jsonBodies(JsonObject schema, boolean refusable) {
        List<Body> bodies = new ArrayList<>();
        JsonObject sample = sample(schema);
        for (int i = 0; i < 2; i++) {
            bodies.add(json("sample#" + i, sample(schema).toString(), false));
        }
        String[] malformed = {"{", "{\"a\":", "[1,2", "nul", "{\"a\":1}}", "{'a':1}", "{\"a\":NaN}", "\"text\"", "[]",
                "42", "{\"a\":\"\\x\"}", "{\"a\" 1}", "{" + "[".repeat(10_000)};
        for (String text : malformed) {
            bodies.add(json("malformed:" + abbreviate(text), text, refusable));
        }
        bodies.add(new Body("malformed:invalid-utf8", "application/json", concat("{\"a\":\"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, "\"}".getBytes(StandardCharsets.UTF_8)), refusable));
        bodies.add(new Body("malformed:empty", "application/json", new byte[0], refusable));
        String text = sample.toString();
        bodies.add(new Body("content-type:text/plain", "text/plain", utf8(text), refusable));
        bodies.add(new Body("content-type:xml", "application/xml", utf8("<a>1</a>"), refusable));
        bodies.add(new Body("content-type:form", "application/x-www-form-urlencoded", utf8("a=1&b=2"), refusable));
        bodies.add(new Body("content-type:multipart-no-boundary", "multipart/form-data", utf8(text), refusable));
        bodies.add(new Body("content-type:garbage", "application/json; charset=x-no-such", utf8(text), false));
        // 10 MB: as the value of the first string property (no field takes 10 MB), or as one huge JSON document
        String stringProperty = properties(schema).entrySet().stream()
                .filter(e -> "string".equals(resolve(e.getValue().asJsonObject()).getString("type", "")))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        String big = "x".repeat(TEN_MB);
        bodies.add(json("10MB" + (stringProperty == null ? "" : ":" + stringProperty),
                Json.createObjectBuilder(sample).add(stringProperty == null ? "padding" : stringProperty, big).build()
                        .toString(), refusable && stringProperty != null));
        int n = 0;
        for (Map.Entry<String, JsonValue> property : properties(schema).entrySet()) {
            if (n++ >= 4) {
                break;
            }
            String name = property.getKey();
            String type = resolve(property.getValue().asJsonObject()).getString("type", "object");
            if (type.equals("string")) {
                for (String value : UNICODE) {
                    bodies.add(json("unicode:" + name + "=" + abbreviate(value), replace(sample, name,
                            "\"" + value + "\""), false));
                }
            } else if (type.equals("integer") || type.equals("number")) {
                for (String value : NUMBERS) {
                    bodies.add(json("number:" + name + "=" + value, replace(sample, name, value), false));
                }
            }
            bodies.add(json("wrong-type:" + name + "=array", replace(sample, name, "[1,{}]"), false));
            bodies.add(json("wrong-type:" + name + "=object", replace(sample, name, "{\"x\":1}"), false));
            bodies.add(json("null:" + name, replace(sample, name, "null"), false));
            bodies.add(json("missing:" + name, Json.createObjectBuilder(sample).remove(name).build().toString(), false));
        }
        bodies.add(json("missing:all", "{}", false));
        bodies.add(json("null-body", "null", false));
        bodies.add(json("extra-fields", Json.createObjectBuilder(sample).add("zz_extra", 1)
                .add("__proto__", Json.createObjectBuilder().add("admin", true)).add("user_id", "00000000-0000-0000-0000-000000000000")
                .build().toString(), false));
        return bodies;
    }

    /** The broken bodies of a multipart upload. */
    List<Body> multipartBodies() {
        byte[] garbage = new byte[TEN_MB];
        random.nextBytes(garbage);
        String boundary = "fuzzboundary";
        byte[] part = concat(utf8("--" + boundary + "\r\nContent-Disposition: form-data; name=\"video\"; filename=\"a.mp4\"\r\n"
                + "Content-Type: video/mp4\r\n\r\n"), garbage, utf8("\r\n--" + boundary + "--\r\n"));
        return List.of(
                new Body("multipart:10MB-garbage-video", "multipart/form-data; boundary=" + boundary, part, true),
                new Body("multipart:unterminated", "multipart/form-data; boundary=" + boundary,
                        utf8("--" + boundary + "\r\nContent-Disposition: form-data; name=\"video\"\r\n\r\nabc"), true),
                new Body("multipart:no-boundary", "multipart/form-data", utf8("abc"), true),
                new Body("multipart:wrong-part", "multipart/form-data; boundary=" + boundary, utf8("--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nabc\r\n--" + boundary + "--\r\n"), true),
                new Body("multipart:json-instead", "application/json", utf8("{\"video\":\"abc\"}"), true),
                new Body("multipart:empty", "multipart/form-data; boundary=" + boundary, new byte[0], true));
    }

    /** Raw bodies of an operation taking any bytes (signed uploads, webhooks). */
    List<Body> rawBodies() {
        byte[] garbage = new byte[TEN_MB];
        random.nextBytes(garbage);
        return List.of(new Body("raw:empty", "application/octet-stream", new byte[0], false),
                new Body("raw:10MB", "application/octet-stream", garbage, false),
                new Body("raw:json", "application/json", utf8("{\"eventType\":\"PAYMENT_STATUS_CHANGED\",\"data\":{}}"), false),
                new Body("raw:malformed-json", "application/json", utf8("{\"a\":"), false));
    }

    private static String replace(JsonObject sample, String name, String rawValue) {
        JsonObject without = Json.createObjectBuilder(sample).remove(name).build();
        String rest = without.toString();
        String field = "\"" + name + "\":" + rawValue;
        return rest.equals("{}") ? "{" + field + "}" : "{" + field + "," + rest.substring(1);
    }

    private static Body json(String name, String text, boolean mustRefuse) {
        return new Body(name, "application/json", utf8(text), mustRefuse);
    }

    static String abbreviate(String text) {
        String printable = text.length() > 24 ? text.substring(0, 24) + "…(" + text.length() + ")" : text;
        return printable.replace("\u0000", "\\0");
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
