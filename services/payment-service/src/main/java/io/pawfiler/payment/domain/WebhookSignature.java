package io.pawfiler.payment.domain;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A provider webhook's signature: {@code v1:base64(HMAC-SHA256(secret, transmissionTime + "." + body))} with the
 * transmission time in Unix seconds, accepted within {@link #REPLAY_WINDOW} of now (either side, for clock skew).
 */
public final class WebhookSignature {

    public static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);
    private static final String VERSION = "v1:";

    private WebhookSignature() {
    }

    public static String sign(byte[] secret, long transmissionTime, String body) {
        return VERSION + Base64.getEncoder().encodeToString(mac(secret, transmissionTime + "." + body));
    }

    public static boolean verify(byte[] secret, String transmissionTime, String body, String signature, Instant now) {
        if (transmissionTime == null || signature == null || body == null || !signature.startsWith(VERSION)) {
            return false;
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(transmissionTime.strip());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Duration.between(Instant.ofEpochSecond(sentAt), now).abs().compareTo(REPLAY_WINDOW) > 0) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(signature.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, transmissionTime.strip() + "." + body), given);
    }

    private static byte[] mac(byte[] secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
