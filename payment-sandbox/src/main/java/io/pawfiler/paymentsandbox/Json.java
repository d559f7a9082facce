package io.pawfiler.paymentsandbox;

import java.io.StringReader;
import java.math.BigDecimal;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/** jakarta.json through one provider (looking it up is a service-loader scan on every call otherwise). */
final class Json {

    static final JsonProvider PROVIDER = JsonProvider.provider();

    private Json() {
    }

    static JsonObjectBuilder object() {
        return PROVIDER.createObjectBuilder();
    }

    static JsonArrayBuilder array() {
        return PROVIDER.createArrayBuilder();
    }

    /** {@code name: value}, or {@code name: null} when value is null. */
    static JsonObjectBuilder add(JsonObjectBuilder builder, String name, String value) {
        return value == null ? builder.addNull(name) : builder.add(name, value);
    }

    static String error(String code, String message) {
        return object().add("code", code).add("message", message).build().toString();
    }

    /** The body as a JSON object; 400 INVALID_REQUEST if it is not one. An empty body is an empty object. */
    static JsonObject parseObject(String body) {
        if (body == null || body.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try (JsonReader reader = PROVIDER.createReader(new StringReader(body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw invalid("요청 본문이 JSON 객체가 아닙니다. (the body is not a JSON object)");
        }
    }

    /** A string field; null when absent or null; 400 when of another type. */
    static String optionalString(JsonObject object, String name) {
        JsonValue value = object.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.getString();
        }
        throw invalid(name + " must be a string");
    }

    static String requiredString(JsonObject object, String name) {
        String value = optionalString(object, name);
        if (value == null || value.isBlank()) {
            throw invalid(name + " is required");
        }
        return value;
    }

    /** A whole positive number of won, given as a JSON number or a string of digits; null when absent. */
    static Long optionalAmount(JsonObject object, String name) {
        JsonValue value = object.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        BigDecimal amount;
        try {
            if (value instanceof JsonNumber number) {
                amount = number.bigDecimalValue();
            } else if (value instanceof JsonString string) {
                amount = new BigDecimal(string.getString().trim());
            } else {
                throw invalid(name + " must be a number");
            }
            long won = amount.longValueExact();
            if (won <= 0) {
                throw invalid(name + " must be positive");
            }
            return won;
        } catch (ArithmeticException | NumberFormatException e) {
            throw invalid(name + " must be a whole number of won");
        }
    }

    static long requiredAmount(JsonObject object, String name) {
        Long amount = optionalAmount(object, name);
        if (amount == null) {
            throw invalid(name + " is required");
        }
        return amount;
    }

    static SandboxException invalid(String detail) {
        return new SandboxException(400, "INVALID_REQUEST", "잘못된 요청입니다. (" + detail + ")");
    }
}
