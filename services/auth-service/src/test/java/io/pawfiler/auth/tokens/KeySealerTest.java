package io.pawfiler.auth.tokens;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeySealerTest {

    @Test
    void sealedKeysOpenOnlyWithTheSameSecretAndSalt() {
        KeySealer sealer = new KeySealer("a-long-enough-secret");
        byte[] salt = sealer.newSalt();
        byte[] secretKey = "PKCS#8 bytes".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = sealer.seal(secretKey, salt);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("PKCS#8"), "encrypted");
        assertArrayEquals(secretKey, sealer.open(sealed, salt));
        assertThrows(IllegalStateException.class, () -> new KeySealer("another-long-secret!").open(sealed, salt));
        assertThrows(IllegalStateException.class, () -> sealer.open(sealed, sealer.newSalt()));
        sealed[20] ^= 1;
        assertThrows(IllegalStateException.class, () -> sealer.open(sealed, salt), "tampering is detected");
    }

    @Test
    void aMissingOrShortSecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KeySealer(null));
        assertThrows(IllegalArgumentException.class, () -> new KeySealer("short"));
    }
}
