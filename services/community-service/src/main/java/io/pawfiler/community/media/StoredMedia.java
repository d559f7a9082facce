package io.pawfiler.community.media;

/** A file in {@link MediaStorage}: what a {@code media_objects} row records. */
public record StoredMedia(String key, MediaFormat format, long sizeBytes) {

    public String contentType() {
        return format.contentType();
    }

    public MediaKind kind() {
        return format.kind();
    }

    /** The SHA-256 of the bytes (lower-case hex), the first part of the key. */
    public String sha256() {
        return key.substring(0, key.indexOf('.'));
    }
}
