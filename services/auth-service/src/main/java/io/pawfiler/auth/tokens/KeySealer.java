package io.pawfiler.auth.tokens;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts signing private keys at rest: AES-256-GCM under a key derived (PBKDF2-HMAC-SHA256, per-key salt)
 * from the operator's secret, so a database dump alone cannot mint tokens. The output is IV || ciphertext+tag.
 */
public final class KeySealer {

    private static final int ITERATIONS = 210_000;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final char[] secret;
    private final SecureRandom random = new SecureRandom();

    public KeySealer(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("pawfiler.auth.key-encryption-secret must be set (16+ characters)");
        }
        this.secret = secret.toCharArray();
    }

    public byte[] newSalt() {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return salt;
    }

    public byte[] seal(byte[] plaintext, byte[] salt) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, derive(salt), new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a signing key", e);
        }
    }

    /** @throws IllegalStateException when the secret is not the one the key was sealed with */
    public byte[] open(byte[] sealed, byte[] salt) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, derive(salt), new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt a signing key: is pawfiler.auth.key-encryption-secret "
                    + "the one the keys were created with?", e);
        }
    }

    private SecretKey derive(byte[] salt) throws GeneralSecurityException {
        SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] key = factory.generateSecret(new PBEKeySpec(secret, salt, ITERATIONS, 256)).getEncoded();
        return new SecretKeySpec(key, "AES");
    }
}
