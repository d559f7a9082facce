package io.pawfiler.community.media;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaUrlsTest {

    private static final String SECRET = "a-test-secret-of-at-least-32-characters";
    private static final String KEY = "0123456789abcdef".repeat(4) + ".png";
    private static final String OTHER_KEY = "fedcba9876543210".repeat(4) + ".png";
    private static final Pattern URL = Pattern.compile("^https://media\\.example\\.com/media/([0-9a-f]{64}\\.png)\\?sig=([A-Za-z0-9_-]+)$");

    private final MediaUrls urls = new MediaUrls(Optional.of(SECRET), "https://media.example.com/");

    @Test
    void urlIsStableAndVerifies() {
        String url = urls.urlFor(KEY);
        assertEquals(url, urls.urlFor(KEY));
        // the same secret elsewhere (another instance, after a restart) gives the same URL
        assertEquals(url, new MediaUrls(Optional.of(SECRET), "https://media.example.com").urlFor(KEY));

        Matcher parts = URL.matcher(url);
        assertTrue(parts.matches(), url);
        assertEquals(KEY, parts.group(1));
        assertEquals(43, parts.group(2).length(), "HMAC-SHA256 in unpadded base64url");
        assertTrue(urls.verify(KEY, parts.group(2)));
    }

    @Test
    void signatureIsBoundToItsKey() {
        String sig = sig(urls.urlFor(KEY));
        assertFalse(urls.verify(OTHER_KEY, sig));
        assertNotEquals(sig, sig(urls.urlFor(OTHER_KEY)));
        // same hash, other extension: another key
        assertFalse(urls.verify(KEY.replace(".png", ".gif"), sig));
    }

    @Test
    void tamperedOrMissingSignaturesFail() {
        String sig = sig(urls.urlFor(KEY));
        for (int i = 0; i < sig.length(); i++) {
            char replaced = sig.charAt(i) == 'A' ? 'B' : 'A';
            String tampered = sig.substring(0, i) + replaced + sig.substring(i + 1);
            assertFalse(urls.verify(KEY, tampered), "changed at " + i + ": " + tampered);
        }
        assertFalse(urls.verify(KEY, sig + "="), "only the canonical spelling");
        assertFalse(urls.verify(KEY, sig.substring(1)));
        assertFalse(urls.verify(KEY, ""));
        assertFalse(urls.verify(KEY, null));
        assertFalse(urls.verify(KEY, "not base64!"));
        assertFalse(urls.verify(null, sig));
    }

    @Test
    void anotherSecretSignsDifferently() {
        MediaUrls other = new MediaUrls(Optional.of(SECRET + "-rotated"), "https://media.example.com");
        assertFalse(other.verify(KEY, sig(urls.urlFor(KEY))));
    }

    @Test
    void withoutASecretEachProcessSignsWithItsOwnRandomKey() {
        MediaUrls first = new MediaUrls(Optional.empty(), "http://localhost:8083");
        MediaUrls second = new MediaUrls(Optional.of(" "), "http://localhost:8083");
        String url = first.urlFor(KEY);
        assertTrue(first.verify(KEY, sig(url)));
        assertFalse(second.verify(KEY, sig(url)));
        assertTrue(url.startsWith("http://localhost:8083/media/" + KEY + "?sig="), url);
    }

    @Test
    void shortSecretsAndBadKeysAreRefused() {
        assertThrows(IllegalStateException.class, () -> new MediaUrls(Optional.of("too-short"), "http://x"));
        assertThrows(IllegalArgumentException.class, () -> urls.urlFor("../" + KEY));
        assertThrows(IllegalArgumentException.class, () -> urls.urlFor(null));
    }

    private static String sig(String url) {
        return url.substring(url.indexOf("?sig=") + 5);
    }
}
