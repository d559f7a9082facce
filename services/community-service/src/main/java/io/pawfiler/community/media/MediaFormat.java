package io.pawfiler.community.media;

import java.util.Objects;

/**
 * An accepted media file type: its kind, the Content-Type it is served with, and the file extension of its
 * storage key. The known ones are the constants of {@link MediaFormats}.
 */
public record MediaFormat(MediaKind kind, String contentType, String extension) {

    public MediaFormat {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(extension, "extension");
    }
}
