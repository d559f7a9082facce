package io.pawfiler.paymentsandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sandbox's webhook signature (README, "Webhooks"):
 * <pre>
 * Tosspayments-Webhook-Transmission-Time: &lt;unix seconds of this attempt&gt;
 * Tosspayments-Webhook-Signature: v1:&lt;base64(HMAC-SHA256(key = webhookSecret, transmissionTime + "." + body))&gt;
 * </pre>
 * where {@code body} is the exact request body (UTF-8). A receiver recomputes the HMAC over the bytes it received,
 * compares in constant time, and refuses a transmission time more than 5 minutes from its clock.
 */
public final class WebhookSignature {

    public static final String TRANSMISSION_ID_HEADER = "Tosspayments-Webhook-Transmission-Id";
    public static final String TRANSMISSION_TIME_HEADER = "Tosspayments-Webhook-Transmission-Time";
    public static final String SIGNATURE_HEADER = "Tosspayments-Webhook-Signature";
    /** How many times this copy was tried before (0 on the first attempt). */
    public static final String RETRIED_COUNT_HEADER = "Tosspayments-Webhook-Transmission-Retried-Count";

    public static final String VERSION_PREFIX = "v1:";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignature() {
    }

    /** The header value: {@code v1:<base64(HMAC-SHA256(secret, transmissionTime + "." + body))>}. */
    public static String sign(String secret, long transmissionTime, String body) {
        return VERSION_PREFIX + Base64.getEncoder().encodeToString(hmac(secret, transmissionTime + "." + body));
    }

    /**
     * Whether {@code signatureHeader} signs {@code body} at {@code transmissionTime} with {@code secret}, and that time
     * is within {@code tolerance} of {@code now}. The header may list several signatures ({@code v1:a,v1:b}); one
     * matching is enough. Never throws on malformed input: it is just not valid.
     */
    public static boolean verify(String secret, String signatureHeader, String transmissionTime, String body,
                                 Instant now, Duration tolerance) {
        if (secret == null || secret.isEmpty() || signatureHeader == null || transmissionTime == null
                || body == null) {
            return false;
        }
        long time;
        try {
            time = Long.parseLong(transmissionTime.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - time) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = hmac(secret, time + "." + body);
        boolean valid = false;
        for (String part : signatureHeader.split(",")) {
            String candidate = part.trim();
            if (!candidate.startsWith(VERSION_PREFIX)) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(VERSION_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                continue;
            }
            // constant time: MessageDigest.isEqual does not stop at the first differing byte
            valid |= MessageDigest.isEqual(expected, given);
        }
        return valid;
    }

    /** {@link #verify} against this machine's clock with the 5-minute window. */
    public static boolean verify(String secret, String signatureHeader, String transmissionTime, String body) {
        return verify(secret, signatureHeader, transmissionTime, body, Instant.now(), DEFAULT_TOLERANCE);
    }

    private static byte[] hmac(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
