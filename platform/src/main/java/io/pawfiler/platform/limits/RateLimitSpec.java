package io.pawfiler.platform.limits;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-user limits of one service, written as {@code operation=count/window} pairs separated by commas, e.g.
 * {@code quiz.QuizService/SubmitAnswer=10/PT1S, POST /upload-video=5/PT1M}. An operation is a gRPC method's full
 * name, or an HTTP method and a path prefix.
 */
public final class RateLimitSpec {

    /** At most {@code count} calls per user within each {@code window}. */
    public record Limit(int count, Duration window) {
        public Limit {
            if (count < 1 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("a rate limit needs a count >= 1 and a positive window");
            }
        }

        @Override
        public String toString() {
            return count + "/" + window;
        }
    }

    private RateLimitSpec() {
    }

    /**
     * How an HTTP request reads against configured operations ({@code METHOD /path-prefix}): {@code "POST /upload-video"}
     * for a JAX-RS path with or without its leading slash. An operation matches a request that starts with it.
     */
    public static String httpRequest(String method, String path) {
        return method + " " + (path.startsWith("/") ? path : "/" + path);
    }

    /** The limits by operation; a malformed entry fails with a message that quotes it. */
    public static Map<String, Limit> parse(String spec) {
        Map<String, Limit> limits = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return limits;
        }
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.lastIndexOf('=');
            int slash = entry.lastIndexOf('/');
            if (equals < 1 || slash < equals) {
                throw malformed(entry, "expected operation=count/window");
            }
            String operation = entry.substring(0, equals).trim();
            try {
                int count = Integer.parseInt(entry.substring(equals + 1, slash).trim());
                Duration window = Duration.parse(entry.substring(slash + 1).trim());
                if (limits.put(operation, new Limit(count, window)) != null) {
                    throw malformed(entry, "operation listed twice");
                }
            } catch (NumberFormatException | DateTimeParseException e) {
                throw malformed(entry, "count must be an integer and window an ISO-8601 duration such as PT1M");
            } catch (IllegalArgumentException e) {
                throw malformed(entry, e.getMessage());
            }
        }
        return limits;
    }

    private static IllegalArgumentException malformed(String entry, String why) {
        return new IllegalArgumentException("pawfiler.rate-limits: \"" + entry.trim() + "\": " + why);
    }
}
