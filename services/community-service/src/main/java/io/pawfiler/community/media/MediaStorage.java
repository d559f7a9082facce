package io.pawfiler.community.media;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where uploaded media live, addressed by content: the key is {@code <sha256 hex>.<extension>}, so the same file
 * posted twice is stored once and a key never names other bytes (served as immutable). The local directory is the
 * default; an object store can implement this later. Storage does not count references: the caller deletes a key
 * when no post names it any more. Failures to read or write are {@link java.io.UncheckedIOException}s.
 */
public interface MediaStorage {

    /** Every valid key; nothing else reaches a file path (no separators, no "..", lower-case hex only). */
    Pattern KEY = Pattern.compile("^[0-9a-f]{64}\\.[a-z0-9]{3,4}$");

    static boolean isKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** The key the given bytes are stored under, without storing them. */
    static String keyOf(byte[] content, MediaFormat format) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)) + "."
                    + format.extension();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Stores the bytes under their key, unless they are stored already; safe when the same bytes are stored
     * concurrently.
     *
     * @param format the format {@link MediaFormats#sniff} found in these bytes (anything else is refused, so the
     *               same bytes always get the same key)
     */
    StoredMedia store(byte[] content, MediaFormat format);

    /** The stored file, or empty when the key is unknown or not a valid key. */
    Optional<MediaFile> open(String key);

    /**
     * Removes a stored file; a key that is not stored is no error.
     *
     * @throws IllegalArgumentException when {@code key} is not a valid key
     */
    void delete(String key);

    /** @return {@code key}, if it is a valid key */
    static String requireKey(String key) {
        if (!isKey(key)) {
            throw new IllegalArgumentException("not a media key: " + abbreviate(key));
        }
        return key;
    }

    private static String abbreviate(String key) {
        if (key == null) {
            return "null";
        }
        String shown = key.length() <= 80 ? key : key.substring(0, 80) + "...";
        return shown.replaceAll("[^\\x20-\\x7e]", "?");  // printable in a log line
    }
}
