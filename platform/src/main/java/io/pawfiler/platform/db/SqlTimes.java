package io.pawfiler.platform.db;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants to and from native queries: bound as UTC {@code OffsetDateTime} (a {@code timestamptz} that does not
 * depend on the JVM's zone), read back from whatever the driver hands a native query ({@code java.sql.Timestamp} or
 * {@code OffsetDateTime}).
 */
public final class SqlTimes {

    private SqlTimes() {
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(Object value) {
        if (value instanceof OffsetDateTime offsetDateTime) {
            return offsetDateTime.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        throw new IllegalStateException("not a timestamp: " + (value == null ? "null" : value.getClass()));
    }
}
