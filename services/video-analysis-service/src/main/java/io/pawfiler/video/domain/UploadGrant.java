package io.pawfiler.video.domain;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a signed upload URL allows: one upload, as task {@code taskId}, owned by {@code userId}, until
 * {@code expiresAt}. {@code unlimited} carries the owner's quota status at signing time, because the upload itself
 * comes without a token. The signature is HMAC-SHA256 over every field, so none can be changed.
 */
public record UploadGrant(String taskId, String userId, String filename, boolean unlimited, Instant expiresAt) {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    public String sign(byte[] key) {
        return BASE64URL.encodeToString(mac(key));
    }

    /** Constant-time, so the response time says nothing about how much of a forged signature was right. */
    public boolean verify(byte[] key, String signature) {
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(signature == null ? "" : signature);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        return MessageDigest.isEqual(mac(key), given);
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    private byte[] mac(byte[] key) {
        // length-prefixed fields: no value can shift bytes into the next one (a filename may contain anything)
        StringBuilder message = new StringBuilder("pawfiler-upload-v1");
        for (String field : new String[] {taskId, userId, filename, unlimited ? "1" : "0",
                Long.toString(expiresAt.getEpochSecond())}) {
            message.append('|').append(field.length()).append(':').append(field);
        }
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            return hmac.doFinal(message.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
