package io.pawfiler.auth.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {

    // small parameters keep the unit test fast; production uses 19 MiB / 2 passes
    private final PasswordHasher hasher = new PasswordHasher(1024, 1, 1);

    @Test
    void hashesAreSaltedArgon2idPhcStringsThatVerify() {
        String first = hasher.hash("correct horse");
        String second = hasher.hash("correct horse");
        assertTrue(first.startsWith("$argon2id$v=19$m=1024,t=1,p=1$"), first);
        assertNotEquals(first, second, "a fresh salt each time");
        assertTrue(hasher.verify("correct horse", first));
        assertTrue(hasher.verify("correct horse", second));
        assertFalse(hasher.verify("correct horsf", first));
        assertFalse(hasher.verify("", first));
    }

    @Test
    void malformedStoredHashesNeverMatch() {
        assertFalse(hasher.verify("x", null));
        assertFalse(hasher.verify("x", "plaintext"));
        assertFalse(hasher.verify("x", "$2a$10$bcryptlooking"));
    }

    @Test
    void parametersTravelWithTheHashSoOlderHashesStillVerifyAndAreFlaggedForRehash() {
        String old = hasher.hash("correct horse");
        PasswordHasher stronger = new PasswordHasher(2048, 2, 1);
        assertTrue(stronger.verify("correct horse", old));
        assertTrue(stronger.needsRehash(old));
        assertFalse(stronger.needsRehash(stronger.hash("correct horse")));
    }
}
