package io.pawfiler.dashboard.domain;

import java.time.Instant;

/** How the user appears (nickname, avatar emoji), as of {@code changedAt}. */
public record ProfileCard(String nickname, String avatarEmoji, Instant changedAt) {

    /** The newest card wins: a late or replayed older change (or registration) never brings back an older name. */
    public static ProfileCard newer(ProfileCard current, ProfileCard candidate) {
        if (current == null || candidate.changedAt().isAfter(current.changedAt())) {
            return candidate;
        }
        return current;
    }
}
