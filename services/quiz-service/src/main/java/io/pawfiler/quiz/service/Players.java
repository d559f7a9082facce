package io.pawfiler.quiz.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.quiz.domain.Energy;
import io.pawfiler.quiz.store.PlayerProfile;
import io.pawfiler.quiz.store.QuizStore;

/** Profiles, statistics and rankings of players. Profiles are created on first sight (500 coins, 100 energy). */
@ApplicationScoped
public class Players {

    /** A profile with its energy as of now. */
    public record Snapshot(PlayerProfile profile, Energy energy) {
    }

    /** A ranking page plus where the caller stands. */
    public record Ranking(List<QuizStore.Ranked> top, QuizStore.Ranked caller, int totalRanked) {
    }

    public static final int MAX_RANKING_LIMIT = 100;

    @Inject
    QuizStore store;

    private final Clock clock = Clock.systemUTC();

    @Transactional
    public Snapshot snapshot(String userId) {
        Instant now = clock.instant();
        store.ensureProfile(userId, now);
        PlayerProfile profile = store.profile(userId);
        return new Snapshot(profile, profile.energy().refilledAt(now));
    }

    @Transactional
    public Snapshot rename(String userId, String nickname, String avatarEmoji) {
        if (nickname == null && avatarEmoji == null) {
            throw ApiException.invalidArgument("nickname", "give nickname and/or avatar_emoji to change");
        }
        if (nickname != null && (nickname.isBlank() || nickname.strip().codePointCount(0, nickname.strip().length()) > 20)) {
            throw ApiException.invalidArgument("nickname", "must be 1-20 characters");
        }
        if (avatarEmoji != null && (avatarEmoji.isBlank() || avatarEmoji.length() > 32)) {
            throw ApiException.invalidArgument("avatar_emoji", "must be one emoji");
        }
        Instant now = clock.instant();
        PlayerProfile profile = store.profileForUpdate(userId, now);
        profile.rename(nickname == null ? null : nickname.strip(), avatarEmoji == null ? null : avatarEmoji.strip(), now);
        return new Snapshot(profile, profile.energy().refilledAt(now));
    }

    /**
     * The nickname and avatar auth-service holds for a player, as of {@code changedAt} (null: unknown, older than any):
     * applied unless a card at least as new was applied before, so late and replayed events never bring back an
     * older name. Creates the profile if absent.
     *
     * @return whether the card was applied
     */
    @Transactional
    public boolean applyCard(String userId, String nickname, String avatarEmoji, Instant changedAt) {
        return store.applyProfileCard(userId, nickname, avatarEmoji, changedAt, clock.instant());
    }

    @Transactional
    public Ranking ranking(String callerId, QuizStore.RankingOrder order, int requestedLimit) {
        if (requestedLimit < 0) {
            throw ApiException.invalidArgument("limit", "must not be negative");
        }
        int limit = requestedLimit == 0 ? 10 : Math.min(requestedLimit, MAX_RANKING_LIMIT);
        Instant now = clock.instant();
        store.ensureProfile(callerId, now);
        PlayerProfile caller = store.profile(callerId);
        return new Ranking(store.ranking(order, limit), new QuizStore.Ranked(store.rankOf(caller, order), caller),
                store.playerCount());
    }

    @Transactional
    public List<QuizStore.QuestionStat> questionStats(Optional<String> questionId) {
        List<QuizStore.QuestionStat> stats = store.questionStats(questionId);
        if (questionId.isPresent() && stats.isEmpty()) {
            throw ApiException.notFound("no question " + questionId.get());
        }
        return stats;
    }
}
