package io.pawfiler.community.media;

import java.util.Optional;

/** What a post's media is, as the API names it ({@code media_type}). */
public enum MediaKind {
    IMAGE("image"),
    VIDEO("video");

    private final String wireName;

    MediaKind(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code media_type} value in requests, responses and the {@code media_objects} table. */
    public String wireName() {
        return wireName;
    }

    /** Exact match only: the API's values are lower case. */
    public static Optional<MediaKind> fromWireName(String wireName) {
        for (MediaKind kind : values()) {
            if (kind.wireName.equals(wireName)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
