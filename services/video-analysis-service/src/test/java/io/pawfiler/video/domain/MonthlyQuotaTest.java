package io.pawfiler.video.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonthlyQuotaTest {

    private static final MonthlyQuota SEOUL = new MonthlyQuota(5, ZoneId.of("Asia/Seoul"));

    @Test
    void theMonthTurnsAtMidnightInTheQuotasZoneNotInUtc() {
        // 2026-01-31T14:59:59Z is 23:59:59 on 31 January in Seoul (UTC+9); one second later it is 1 February there
        Instant lastSecondOfJanuary = Instant.parse("2026-01-31T14:59:59Z");
        Instant firstSecondOfFebruary = Instant.parse("2026-01-31T15:00:00Z");
        assertEquals(LocalDate.of(2026, 1, 1), SEOUL.period(lastSecondOfJanuary));
        assertEquals(LocalDate.of(2026, 2, 1), SEOUL.period(firstSecondOfFebruary));
        assertEquals(firstSecondOfFebruary, SEOUL.resetsAt(lastSecondOfJanuary));
        assertEquals(Duration.ofSeconds(1), SEOUL.untilReset(lastSecondOfJanuary));
        // the same instant is still January in UTC
        MonthlyQuota utc = new MonthlyQuota(5, ZoneId.of("UTC"));
        assertEquals(LocalDate.of(2026, 1, 1), utc.period(firstSecondOfFebruary));
        assertEquals(Instant.parse("2026-02-01T00:00:00Z"), utc.resetsAt(firstSecondOfFebruary));
    }

    @Test
    void decemberResetsIntoTheNextYearAndFebruaryHasItsOwnLength() {
        assertEquals(Instant.parse("2026-12-31T15:00:00Z"), SEOUL.resetsAt(Instant.parse("2026-12-15T03:00:00Z")));
        assertEquals(LocalDate.of(2027, 1, 1), SEOUL.period(Instant.parse("2026-12-31T15:00:00Z")));
        assertEquals(Instant.parse("2028-02-29T15:00:00Z"), SEOUL.resetsAt(Instant.parse("2028-02-10T00:00:00Z")));
    }

    @Test
    void aZoneWithDaylightSavingResetsAtItsLocalMidnight() {
        MonthlyQuota newYork = new MonthlyQuota(5, ZoneId.of("America/New_York"));
        // April starts in EDT (UTC-4), March in EST (UTC-5)
        assertEquals(Instant.parse("2026-04-01T04:00:00Z"), newYork.resetsAt(Instant.parse("2026-03-20T12:00:00Z")));
        assertEquals(Instant.parse("2026-03-01T05:00:00Z"), newYork.resetsAt(Instant.parse("2026-02-20T12:00:00Z")));
    }

    @Test
    void premiumAndAdminsAreUnlimitedAndReportMinusOne() {
        assertTrue(MonthlyQuota.unlimited(Set.of("user", "premium")));
        assertTrue(MonthlyQuota.unlimited(Set.of("user", "admin")));
        assertFalse(MonthlyQuota.unlimited(Set.of("user")));
        Instant now = Instant.parse("2026-03-03T00:00:00Z");
        MonthlyQuota.Status premium = SEOUL.status(12, true, now);
        assertEquals(-1, premium.limit());
        assertEquals(-1, premium.remaining());
        assertEquals(12, premium.used());
        MonthlyQuota.Status free = SEOUL.status(3, false, now);
        assertEquals(5, free.limit());
        assertEquals(2, free.remaining());
        assertEquals(0, SEOUL.status(7, false, now).remaining(), "never negative");
        assertEquals(Instant.parse("2026-03-31T15:00:00Z"), free.resetsAt());
        assertThrows(IllegalArgumentException.class, () -> new MonthlyQuota(-1, ZoneId.of("UTC")));
    }
}
