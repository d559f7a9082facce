package io.pawfiler.platform.json;

import java.io.StringReader;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

/**
 * The one Jakarta JSON-P provider of the process. {@code jakarta.json.Json.createXxx} looks the provider up with a
 * service-loader scan of the classpath on every call (~11% of quiz-service's CPU under load); this looks it up once.
 * Use these instead of {@code jakarta.json.Json} in anything that runs per request.
 */
public final class Jsons {

    private static final JsonProvider PROVIDER = JsonProvider.provider();

    private Jsons() {
    }

    public static JsonObject parseObject(String json) {
        try (var reader = PROVIDER.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    public static JsonArray parseArray(String json) {
        try (var reader = PROVIDER.createReader(new StringReader(json))) {
            return reader.readArray();
        }
    }

    public static JsonObjectBuilder object() {
        return PROVIDER.createObjectBuilder();
    }

    public static JsonArrayBuilder array() {
        return PROVIDER.createArrayBuilder();
    }

    /** {@code value} as a JSON string literal, quoted and escaped. */
    public static String quote(String value) {
        return PROVIDER.createValue(value).toString();
    }
}
