package io.pawfiler.community.media;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stored file opened for reading: its size and type, and its bytes as streams of any range (served without
 * holding a video in memory; an object store would answer a range with a ranged GET).
 */
public record MediaFile(String key, long size, String contentType, RangeReader reader) {

    /** Opens a stream of {@code length} bytes starting at {@code offset}. */
    @FunctionalInterface
    public interface RangeReader {
        InputStream open(long offset, long length) throws IOException;
    }

    /** The SHA-256 of the bytes (lower-case hex): a strong ETag, since a key never names other bytes. */
    public String sha256() {
        return key.substring(0, key.indexOf('.'));
    }

    /** The whole file. */
    public InputStream read() throws IOException {
        return read(0, size);
    }

    /**
     * Bytes {@code offset} to {@code offset + length - 1}.
     *
     * @throws IllegalArgumentException when the range is not within the file
     */
    public InputStream read(long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " is outside " + size + " bytes");
        }
        return reader.open(offset, length);
    }
}
