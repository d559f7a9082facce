package io.pawfiler.platform.limits;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Size limits by operation, written as {@code operation=bytes} pairs separated by commas, e.g.
 * {@code POST /upload-video=115343360} or {@code community.CommunityService/CreatePost=110100480}. An operation
 * (a gRPC method's full name, or an HTTP method and a path prefix as {@link RateLimitSpec#httpRequest} writes it)
 * matches every call that starts with it; the first match wins, anything else gets the default.
 */
public final class SizeLimitSpec {

    private final String property;
    private final long defaultLimit;
    private final Map<String, Long> limits = new LinkedHashMap<>();

    /** @param property the configuration key the spec came from, quoted when an entry is malformed */
    public SizeLimitSpec(String property, String spec, long defaultLimit) {
        this.property = property;
        this.defaultLimit = defaultLimit;
        for (String entry : spec == null ? new String[0] : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.lastIndexOf('=');
            try {
                long bytes = Long.parseLong(entry.substring(equals + 1).trim());
                if (equals < 1 || bytes < 0) {
                    throw new NumberFormatException();
                }
                limits.put(entry.substring(0, equals).trim(), bytes);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + ": \"" + entry.trim() + "\": expected operation=bytes", e);
            }
        }
    }

    /** The limit of {@code operation}. */
    public long limitFor(String operation) {
        return limits.entrySet().stream().filter(e -> operation.startsWith(e.getKey())).mapToLong(Map.Entry::getValue)
                .findFirst().orElse(defaultLimit);
    }

    @Override
    public String toString() {
        return property + "=" + limits + " (default " + defaultLimit + ")";
    }
}
