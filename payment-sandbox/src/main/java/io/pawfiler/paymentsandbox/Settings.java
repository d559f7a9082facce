package io.pawfiler.paymentsandbox;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link SandboxProvider} runs.
 *
 * @param bindHost           the address it listens on: 127.0.0.1 (loopback only) unless a container must publish
 *                           its checkout page ({@code 0.0.0.0})
 * @param port               TCP port; 0 = any free port ({@link SandboxProvider#port()} tells which)
 * @param secretKeys         the secret keys the API accepts ({@code Authorization: Basic base64(secretKey + ":")})
 * @param webhookUrl         where {@code PAYMENT_STATUS_CHANGED} webhooks are POSTed; empty = none are sent
 * @param webhookSecret      HMAC-SHA256 key of the webhook signature; empty = webhooks go unsigned
 * @param webhookRetryDelays the wait before each retry of a webhook that did not get a 2xx: a webhook is tried
 *                           {@code 1 + webhookRetryDelays.size()} times in all
 * @param webhookTimeout     how long one webhook attempt may take (connecting included)
 * @param currency           the currency of every payment; only {@code KRW} (amounts are whole won)
 */
public record Settings(String bindHost, int port, List<String> secretKeys, String webhookUrl, String webhookSecret,
                       List<Duration> webhookRetryDelays, Duration webhookTimeout, String currency) {

    /** {@code ./pawfiler up}'s port (env {@code PAWFILER_PAYMENT_SANDBOX_PORT}). */
    public static final int DEFAULT_PORT = 8095;

    /** 1 s, 2 s, 4 s, 8 s: five attempts in all over ~15 s, then the event is given up (state FAILED). */
    public static final List<Duration> DEFAULT_RETRY_DELAYS = List.of(
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));

    public static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofSeconds(5);

    /** Environment variables read by {@link #fromEnvironment} (the sandbox's own JVM, {@code ./pawfiler up}). */
    public static final String ENV_PORT = "PAWFILER_PAYMENT_SANDBOX_PORT";
    public static final String ENV_BIND_HOST = "PAWFILER_PAYMENT_SANDBOX_BIND_HOST";
    public static final String DEFAULT_BIND_HOST = "127.0.0.1";
    public static final String ENV_SECRET_KEYS = "PAWFILER_PAYMENT_SANDBOX_SECRET_KEYS";
    public static final String ENV_WEBHOOK_URL = "PAWFILER_PAYMENT_SANDBOX_WEBHOOK_URL";
    public static final String ENV_WEBHOOK_SECRET = "PAWFILER_PAYMENT_SANDBOX_WEBHOOK_SECRET";
    public static final String ENV_WEBHOOK_RETRY_DELAYS = "PAWFILER_PAYMENT_SANDBOX_WEBHOOK_RETRY_DELAYS";
    public static final String ENV_WEBHOOK_TIMEOUT = "PAWFILER_PAYMENT_SANDBOX_WEBHOOK_TIMEOUT";

    public Settings {
        if (bindHost == null || bindHost.isBlank()) {
            throw new IllegalArgumentException("no bind host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        secretKeys = List.copyOf(Objects.requireNonNull(secretKeys, "secretKeys"));
        if (secretKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one secret key is needed");
        }
        for (String key : secretKeys) {
            if (key.isBlank() || key.contains(":")) {
                throw new IllegalArgumentException("a secret key must be non-blank and without ':'");
            }
        }
        webhookUrl = webhookUrl == null ? "" : webhookUrl.trim();
        if (!webhookUrl.isEmpty()) {
            URI uri = URI.create(webhookUrl);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("webhookUrl must be an absolute http(s) URL: " + webhookUrl);
            }
        }
        webhookSecret = webhookSecret == null ? "" : webhookSecret;
        webhookRetryDelays = List.copyOf(Objects.requireNonNull(webhookRetryDelays, "webhookRetryDelays"));
        for (Duration delay : webhookRetryDelays) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("negative retry delay: " + delay);
            }
        }
        Objects.requireNonNull(webhookTimeout, "webhookTimeout");
        if (webhookTimeout.isNegative() || webhookTimeout.isZero()) {
            throw new IllegalArgumentException("webhookTimeout must be positive");
        }
        currency = currency == null ? "KRW" : currency;
        if (!currency.equals("KRW")) {
            throw new IllegalArgumentException("the sandbox only knows KRW, not " + currency);
        }
    }

    /** Attempts per webhook: the first one plus one per retry delay. */
    public int webhookAttempts() {
        return 1 + webhookRetryDelays.size();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder().port(port).secretKeys(secretKeys).webhookUrl(webhookUrl)
                .webhookSecret(webhookSecret).webhookRetryDelays(webhookRetryDelays).webhookTimeout(webhookTimeout);
        builder.currency = currency;
        return builder;
    }

    /**
     * Settings from {@code PAWFILER_PAYMENT_SANDBOX_*} variables: {@code _BIND_HOST} (default 127.0.0.1),
     * {@code _PORT} (default 8095), {@code _SECRET_KEYS}
     * (comma-separated, required), {@code _WEBHOOK_URL}, {@code _WEBHOOK_SECRET}, {@code _WEBHOOK_RETRY_DELAYS}
     * (comma-separated durations: {@code 1s}, {@code 250ms}, {@code PT2S}; empty = no retries) and
     * {@code _WEBHOOK_TIMEOUT}.
     */
    public static Settings fromEnvironment(Map<String, String> env) {
        Builder builder = builder();
        String port = env.get(ENV_PORT);
        builder.port(port == null || port.isBlank() ? DEFAULT_PORT : Integer.parseInt(port.trim()));
        String bindHost = env.get(ENV_BIND_HOST);
        if (bindHost != null && !bindHost.isBlank()) {
            builder.bindHost(bindHost.trim());
        }
        String keys = env.getOrDefault(ENV_SECRET_KEYS, "");
        List<String> secretKeys = new ArrayList<>();
        for (String key : keys.split(",")) {
            if (!key.isBlank()) {
                secretKeys.add(key.trim());
            }
        }
        if (secretKeys.isEmpty()) {
            throw new IllegalArgumentException(ENV_SECRET_KEYS + " is not set");
        }
        builder.secretKeys(secretKeys);
        builder.webhookUrl(env.getOrDefault(ENV_WEBHOOK_URL, ""));
        builder.webhookSecret(env.getOrDefault(ENV_WEBHOOK_SECRET, ""));
        String delays = env.get(ENV_WEBHOOK_RETRY_DELAYS);
        if (delays != null) {
            List<Duration> parsed = new ArrayList<>();
            for (String delay : delays.split(",")) {
                if (!delay.isBlank()) {
                    parsed.add(parseDuration(delay));
                }
            }
            builder.webhookRetryDelays(parsed);
        }
        String timeout = env.get(ENV_WEBHOOK_TIMEOUT);
        if (timeout != null && !timeout.isBlank()) {
            builder.webhookTimeout(parseDuration(timeout));
        }
        return builder.build();
    }

    /** The variables {@link #fromEnvironment} turns back into these settings. */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENV_BIND_HOST, bindHost);
        env.put(ENV_PORT, String.valueOf(port));
        env.put(ENV_SECRET_KEYS, String.join(",", secretKeys));
        env.put(ENV_WEBHOOK_URL, webhookUrl);
        env.put(ENV_WEBHOOK_SECRET, webhookSecret);
        List<String> delays = new ArrayList<>();
        for (Duration delay : webhookRetryDelays) {
            delays.add(delay.toMillis() + "ms");
        }
        env.put(ENV_WEBHOOK_RETRY_DELAYS, String.join(",", delays));
        env.put(ENV_WEBHOOK_TIMEOUT, webhookTimeout.toMillis() + "ms");
        return env;
    }

    /** {@code 250ms}, {@code 2s}, {@code 1m} or ISO-8601 ({@code PT2S}). */
    static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("pt") || value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
            }
            if (value.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1).trim()));
            }
            if (value.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1).trim()));
            }
            return Duration.ofSeconds(Long.parseLong(value));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration: " + text, e);
        }
    }

    /** Defaults: port 0, no webhook URL, {@link #DEFAULT_RETRY_DELAYS}, 5 s per attempt, KRW. */
    public static final class Builder {
        private String bindHost = DEFAULT_BIND_HOST;
        private int port;
        private List<String> secretKeys = List.of();
        private String webhookUrl = "";
        private String webhookSecret = "";
        private List<Duration> webhookRetryDelays = DEFAULT_RETRY_DELAYS;
        private Duration webhookTimeout = DEFAULT_WEBHOOK_TIMEOUT;
        private String currency = "KRW";

        private Builder() {
        }

        public Builder bindHost(String bindHost) {
            this.bindHost = bindHost;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The one accepted secret key. */
        public Builder secretKey(String secretKey) {
            return secretKeys(List.of(secretKey));
        }

        public Builder secretKeys(List<String> secretKeys) {
            this.secretKeys = secretKeys;
            return this;
        }

        public Builder webhookUrl(String webhookUrl) {
            this.webhookUrl = webhookUrl;
            return this;
        }

        public Builder webhookSecret(String webhookSecret) {
            this.webhookSecret = webhookSecret;
            return this;
        }

        public Builder webhookRetryDelays(List<Duration> webhookRetryDelays) {
            this.webhookRetryDelays = webhookRetryDelays;
            return this;
        }

        public Builder webhookRetryDelays(Duration... webhookRetryDelays) {
            return webhookRetryDelays(List.of(webhookRetryDelays));
        }

        public Builder webhookTimeout(Duration webhookTimeout) {
            this.webhookTimeout = webhookTimeout;
            return this;
        }

        public Settings build() {
            return new Settings(bindHost, port, secretKeys, webhookUrl, webhookSecret, webhookRetryDelays, webhookTimeout,
                    currency);
        }
    }
}
