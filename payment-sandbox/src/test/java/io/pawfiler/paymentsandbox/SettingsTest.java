package io.pawfiler.paymentsandbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SettingsTest {

    @Test
    void theEnvironmentRoundTrips() {
        Settings settings = Settings.builder().bindHost("0.0.0.0").port(18095).secretKeys(List.of("test_sk_a", "test_sk_b"))
                .webhookUrl("http://localhost:8085/payments/webhooks/toss").webhookSecret("whsec")
                .webhookRetryDelays(Duration.ofMillis(250), Duration.ofSeconds(2)).build();
        assertEquals(settings, Settings.fromEnvironment(settings.toEnvironment()));
        assertEquals(3, settings.webhookAttempts());
    }

    @Test
    void defaults() {
        Settings settings = Settings.fromEnvironment(Map.of(Settings.ENV_SECRET_KEYS, "test_sk_x"));
        assertEquals(Settings.DEFAULT_PORT, settings.port());
        assertEquals("127.0.0.1", settings.bindHost(), "loopback only unless asked");
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8)), settings.webhookRetryDelays());
        assertEquals(5, settings.webhookAttempts());
        assertEquals("", settings.webhookUrl());
        assertEquals("KRW", settings.currency());
        assertEquals(List.of(), Settings.fromEnvironment(Map.of(Settings.ENV_SECRET_KEYS, "k",
                Settings.ENV_WEBHOOK_RETRY_DELAYS, "")).webhookRetryDelays());
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(250), Settings.parseDuration("250ms"));
        assertEquals(Duration.ofSeconds(3), Settings.parseDuration("3s"));
        assertEquals(Duration.ofSeconds(3), Settings.parseDuration("3"));
        assertEquals(Duration.ofMinutes(2), Settings.parseDuration("2m"));
        assertEquals(Duration.ofSeconds(16), Settings.parseDuration("PT16S"));
        assertThrows(IllegalArgumentException.class, () -> Settings.parseDuration("soon"));
    }

    @Test
    void refusals() {
        assertThrows(IllegalArgumentException.class, () -> Settings.fromEnvironment(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Settings.builder().build());
        assertThrows(IllegalArgumentException.class, () -> Settings.builder().secretKey("a:b").build());
        assertThrows(IllegalArgumentException.class,
                () -> Settings.builder().secretKey("k").webhookUrl("file:///etc/passwd").build());
        assertThrows(IllegalArgumentException.class,
                () -> Settings.builder().secretKey("k").webhookRetryDelays(Duration.ofSeconds(-1)).build());
    }
}
