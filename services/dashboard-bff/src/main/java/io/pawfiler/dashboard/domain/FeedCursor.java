package io.pawfiler.dashboard.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Where a page of the feed ends: the (occurred_at, id) of its last line, the key of the next page's keyset query.
 * Handed out as an opaque token; clients only pass it back.
 */
public record FeedCursor(Instant occurredAt, String id) {

    private static final String VERSION = "a1";

    public String token() {
        String raw = VERSION + ":" + occurredAt.getEpochSecond() + ":" + occurredAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in a token, or empty when the token is not one this service made. Blank: no cursor, first page. */
    public static Optional<FeedCursor> parse(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 4);
            if (parts.length != 4 || !VERSION.equals(parts[0]) || parts[3].isEmpty()) {
                return Optional.empty();
            }
            long seconds = Long.parseLong(parts[1]);
            int nanos = Integer.parseInt(parts[2]);
            if (nanos < 0 || nanos > 999_999_999) {
                return Optional.empty();
            }
            return Optional.of(new FeedCursor(Instant.ofEpochSecond(seconds, nanos), parts[3]));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}
