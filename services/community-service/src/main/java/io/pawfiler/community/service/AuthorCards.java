package io.pawfiler.community.service;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.community.domain.AuthorCard;
import io.pawfiler.community.store.CommunityStore;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.security.Caller;

/**
 * Author cards: written from auth-service's user.registered and user.profile-changed events (the newest change
 * wins, however late or often an event arrives), or by an admin's SyncAuthorNickname repair.
 */
@ApplicationScoped
public class AuthorCards {

    @Inject
    CommunityStore store;

    private final Clock clock = Clock.systemUTC();

    /** From an event; runs inside the inbox transaction. */
    public void apply(AuthorCard card, Instant changedAt) {
        if (card.userId().isBlank()) {
            throw new IllegalArgumentException("an author card needs a user_id");
        }
        store.upsertAuthorCard(new AuthorCard(card.userId(),
                card.nickname().isBlank() ? AuthorCard.UNKNOWN_NICKNAME : card.nickname(),
                card.avatarEmoji().isBlank() ? AuthorCard.UNKNOWN_AVATAR : card.avatarEmoji()), changedAt);
    }

    /** Admins only: sets a user's card now (e.g. after an event was lost to a dead-letter topic). */
    @Transactional
    public void repair(Caller caller, String userId, String nickname, String avatarEmoji) {
        if (!caller.isAdmin()) {
            throw ApiException.permissionDenied("SyncAuthorNickname is an admin repair call; cards follow profile changes at auth-service by themselves");
        }
        if (userId == null || userId.isBlank() || userId.length() > 64) {
            throw ApiException.invalidArgument("user_id", "is required");
        }
        String name = nickname == null ? "" : nickname.strip();
        if (name.isEmpty() || name.codePointCount(0, name.length()) > 20) {
            throw ApiException.invalidArgument("nickname", "must be 1-20 characters");
        }
        String emoji = avatarEmoji == null || avatarEmoji.isBlank() ? AuthorCard.UNKNOWN_AVATAR : avatarEmoji.strip();
        if (emoji.length() > 32) {
            throw ApiException.invalidArgument("avatar_emoji", "must be one emoji");
        }
        store.upsertAuthorCard(new AuthorCard(userId, name, emoji), clock.instant());
    }
}
