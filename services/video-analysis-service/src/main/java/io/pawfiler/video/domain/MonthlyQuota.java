package io.pawfiler.video.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

/**
 * The analysis quota of the original app: free users get {@code limit} analyses per calendar month, premium users
 * and admins are unlimited. The month is the calendar month in {@code zone} (the app's users are in Korea, so a
 * month must not turn over at 09:00 their time, as it would in UTC).
 */
public record MonthlyQuota(int limit, ZoneId zone) {

    public static final String PREMIUM = "premium";
    public static final String ADMIN = "admin";

    public MonthlyQuota {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 or more");
        }
    }

    /** Token groups that lift the limit. */
    public static boolean unlimited(Set<String> roles) {
        return roles.contains(PREMIUM) || roles.contains(ADMIN);
    }

    /** The month {@code now} counts against, as its first day (the counter's key). */
    public LocalDate period(Instant now) {
        return now.atZone(zone).toLocalDate().withDayOfMonth(1);
    }

    /** When the month of {@code now} ends: midnight of the next month's first day in the quota's zone. */
    public Instant resetsAt(Instant now) {
        return period(now).plusMonths(1).atStartOfDay(zone).toInstant();
    }

    public Duration untilReset(Instant now) {
        return Duration.between(now, resetsAt(now));
    }

    public Status status(int used, boolean unlimited, Instant now) {
        if (unlimited) {
            return new Status(used, -1, -1, true, resetsAt(now));
        }
        return new Status(used, limit, Math.max(0, limit - used), false, resetsAt(now));
    }

    /** What a user has left this month; {@code limit} and {@code remaining} are -1 when unlimited. */
    public record Status(int used, int limit, int remaining, boolean unlimited, Instant resetsAt) {
    }
}
