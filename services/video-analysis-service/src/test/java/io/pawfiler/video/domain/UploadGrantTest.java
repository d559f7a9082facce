package io.pawfiler.video.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploadGrantTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant EXPIRES = Instant.parse("2026-05-01T10:00:00Z");

    @Test
    void aSignatureCoversEveryField() {
        UploadGrant grant = new UploadGrant("task-1", "user-1", "clip.mp4", false, EXPIRES);
        String signature = grant.sign(KEY);
        assertTrue(grant.verify(KEY, signature));
        assertFalse(new UploadGrant("task-2", "user-1", "clip.mp4", false, EXPIRES).verify(KEY, signature));
        assertFalse(new UploadGrant("task-1", "user-2", "clip.mp4", false, EXPIRES).verify(KEY, signature));
        assertFalse(new UploadGrant("task-1", "user-1", "other.mp4", false, EXPIRES).verify(KEY, signature));
        assertFalse(new UploadGrant("task-1", "user-1", "clip.mp4", true, EXPIRES).verify(KEY, signature));
        assertFalse(new UploadGrant("task-1", "user-1", "clip.mp4", false, EXPIRES.plusSeconds(1)).verify(KEY, signature));
        assertFalse(grant.verify("another key of thirty-two chars!".getBytes(StandardCharsets.UTF_8), signature));
        // fields cannot be shifted into one another
        assertNotEquals(new UploadGrant("a", "bc", "d", false, EXPIRES).sign(KEY),
                new UploadGrant("ab", "c", "d", false, EXPIRES).sign(KEY));
    }

    @Test
    void garbageSignaturesAreRefusedNotThrown() {
        UploadGrant grant = new UploadGrant("task-1", "user-1", "clip.mp4", false, EXPIRES);
        assertFalse(grant.verify(KEY, null));
        assertFalse(grant.verify(KEY, ""));
        assertFalse(grant.verify(KEY, "not base64 !!"));
        String signature = grant.sign(KEY);
        assertFalse(grant.verify(KEY, signature.substring(0, signature.length() - 2)));
    }

    @Test
    void expiresAtTheInstant() {
        UploadGrant grant = new UploadGrant("task-1", "user-1", "clip.mp4", false, EXPIRES);
        assertFalse(grant.expired(EXPIRES.minusSeconds(1)));
        assertTrue(grant.expired(EXPIRES));
    }
}
