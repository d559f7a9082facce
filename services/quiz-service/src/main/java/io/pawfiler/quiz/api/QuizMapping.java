package io.pawfiler.quiz.api;

import io.pawfiler.api.quiz.MediaType;
import io.pawfiler.api.quiz.QuizQuestion;
import io.pawfiler.api.quiz.RankingEntry;
import io.pawfiler.api.quiz.UserProfile;
import io.pawfiler.quiz.domain.Question;
import io.pawfiler.quiz.service.Players;
import io.pawfiler.quiz.store.QuizStore;

/** Domain ↔ proto. */
final class QuizMapping {

    private QuizMapping() {
    }

    /** The question as a player may see it before answering: every correct-answer field left unset. */
    static QuizQuestion withoutAnswer(Question question) {
        QuizQuestion.Builder out = QuizQuestion.newBuilder()
                .setId(question.id())
                .setType(io.pawfiler.api.quiz.QuestionType.valueOf(question.type().name()))
                .setMediaType(MediaType.valueOf(question.mediaType()))
                .setMediaUrl(question.mediaUrl())
                .setThumbnailEmoji(question.thumbnailEmoji() == null ? "" : question.thumbnailEmoji())
                .setDifficulty(question.difficulty().wireName())
                .setCategory(question.category())
                .setExplanation("")
                .addAllOptions(question.options());
        if (question.comparisonMediaUrl() != null) {
            out.setComparisonMediaUrl(question.comparisonMediaUrl());
        }
        return out.build();
    }

    static UserProfile profile(Players.Snapshot snapshot) {
        var profile = snapshot.profile();
        var progress = profile.progress();
        UserProfile.Builder out = UserProfile.newBuilder()
                .setUserId(profile.userId())
                .setEnergy(snapshot.energy().current())
                .setMaxEnergy(snapshot.energy().max())
                .setLevel(progress.level())
                .setTierName(progress.tierTitle())
                .setTotalExp(saturated(progress.totalXp()))
                .setTotalCoins(saturated(progress.coins()));
        if (profile.nickname() != null) {
            out.setNickname(profile.nickname());
        }
        if (profile.avatarEmoji() != null) {
            out.setAvatarEmoji(profile.avatarEmoji());
        }
        return out.build();
    }

    static RankingEntry rankingEntry(QuizStore.Ranked ranked) {
        var profile = ranked.profile();
        var progress = profile.progress();
        return RankingEntry.newBuilder()
                .setRank(ranked.rank())
                .setUserId(profile.userId())
                .setNickname(profile.nickname() == null ? "" : profile.nickname())
                .setAvatarEmoji(profile.avatarEmoji() == null ? "" : profile.avatarEmoji())
                .setTier(progress.tier().displayName())
                .setLevel(progress.level())
                .setTotalExp(saturated(progress.totalXp()))
                .setTotalCoins(saturated(progress.coins()))
                .setTotalAnswered(profile.totalAnswered())
                .setCorrectCount(profile.correctCount())
                .setAccuracy(profile.totalAnswered() == 0 ? 0 : profile.correctCount() / (double) profile.totalAnswered())
                .build();
    }

    static int saturated(long value) {
        return (int) Math.min(Integer.MAX_VALUE, value);
    }
}
