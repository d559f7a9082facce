package io.pawfiler.community.domain;

/** How an author appears on posts and comments. */
public record AuthorCard(String userId, String nickname, String avatarEmoji) {

    /** Shown until the author's card arrives (user.registered is normally there long before the first post). */
    public static final String UNKNOWN_NICKNAME = "탐정";
    public static final String UNKNOWN_AVATAR = "🕵️";

    public static AuthorCard unknown(String userId) {
        return new AuthorCard(userId, UNKNOWN_NICKNAME, UNKNOWN_AVATAR);
    }
}
