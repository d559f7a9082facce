package io.pawfiler.platform.rest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;

import io.pawfiler.platform.errors.ApiException;

/**
 * A request body JSON-B could not read becomes INVALID_ARGUMENT naming the field: the property JSON-B names in its
 * error ({@code Unable to deserialize property 'page_size' because of: ...}), else {@code body} (not JSON at all).
 * Nothing of the parser's own message (class names, offsets) reaches the client.
 */
public final class BodyProblems {

    private static final Pattern PROPERTY = Pattern.compile("property '([A-Za-z0-9_.\\[\\]]{1,64})'");

    private BodyProblems() {
    }

    /** Whether {@code failure} (or a cause of it) is JSON that could not be read. */
    static boolean isBodyProblem(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonbException || cause instanceof JsonException) {
                return true;
            }
        }
        return false;
    }

    public static ApiException of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            Matcher property = cause.getMessage() == null ? null : PROPERTY.matcher(cause.getMessage());
            if (property != null && property.find()) {
                return ApiException.invalidArgument(snakeCase(property.group(1)),
                        "has the wrong type or format for this operation");
            }
        }
        return ApiException.invalidArgument("body", "is not valid JSON for this operation");
    }

    /** JSON-B names Java properties; the wire (SnakeCaseJson) uses snake_case. */
    static String snakeCase(String property) {
        return property.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
