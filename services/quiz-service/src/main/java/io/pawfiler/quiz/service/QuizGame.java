package io.pawfiler.quiz.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.api.events.QuizAnswered;
import io.pawfiler.api.events.XpEarned;
import io.pawfiler.api.quiz.SubmitAnswerResponse;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.outbox.Outbox;
import io.pawfiler.quiz.domain.AnswerRewards;
import io.pawfiler.quiz.domain.Difficulty;
import io.pawfiler.quiz.domain.Energy;
import io.pawfiler.quiz.domain.Progress;
import io.pawfiler.quiz.domain.Question;
import io.pawfiler.quiz.domain.QuestionType;
import io.pawfiler.quiz.store.PlayerProfile;
import io.pawfiler.quiz.store.QuestionEntity;
import io.pawfiler.quiz.store.QuizStore;

/** The game's use cases: draw a question, answer it, refill energy. Each runs in one transaction. */
@ApplicationScoped
public class QuizGame {

    /** A question handed out, with the draw that identifies this hand-out and the player's energy now. */
    public record Draw(Question question, String drawId, Energy energy) {
    }

    /** What a player sent. */
    public record Answer(String questionId, Question.Submission submission, String attemptId, String drawId) {
    }

    @Inject
    QuizStore store;

    @Inject
    Outbox outbox;

    @Inject
    QuestionCache questions;

    @Inject
    @ConfigProperty(name = "pawfiler.quiz.recent-answers-avoided", defaultValue = "20")
    int recentAnswersAvoided;

    @Inject
    @ConfigProperty(name = "pawfiler.quiz.energy-refill-cost-coins", defaultValue = "100")
    int refillCostCoins;

    private final Clock clock = Clock.systemUTC();

    @Transactional
    public Draw drawQuestion(String userId, Optional<Difficulty> difficulty, Optional<QuestionType> type) {
        Instant now = clock.instant();
        store.ensureProfile(userId, now);
        QuestionEntity question = store.randomQuestion(userId, difficulty, type, recentAnswersAvoided)
                .orElseThrow(() -> ApiException.notFound("no question matches these filters"));
        String drawId = UUID.randomUUID().toString();
        Question domain = question.toDomain();
        store.recordDraw(drawId, userId, domain.id(), now);
        return new Draw(domain, drawId, store.profile(userId).energy().refilledAt(now));
    }

    @Transactional
    public Question question(String questionId) {
        return questions.get(questionId).filter(q -> !q.retired()).map(QuestionCache.Entry::question)
                .orElseThrow(() -> ApiException.notFound("no question " + questionId));
    }

    /**
     * Checks and records an answer, grants its rewards and publishes {@code quiz.answered} and {@code xp.earned},
     * all in one transaction. The player's row is locked first, so concurrent answers of one player apply one after
     * the other, and an attempt already recorded is answered with its first result (nothing granted again).
     */
    @Transactional
    public SubmitAnswerResponse answer(String userId, Answer answer) {
        if (answer.questionId() == null || answer.questionId().isBlank()) {
            throw ApiException.invalidArgument("question_id", "is required");
        }
        Instant now = clock.instant();
        PlayerProfile profile = store.profileForUpdate(userId, now);

        String attemptId = attemptKey(userId, answer);
        Optional<byte[]> earlier = store.answerResult(userId, attemptId);
        if (earlier.isPresent()) {
            return replay(earlier.get());
        }
        if (!isBlank(answer.drawId())) {
            String drawn = store.drawnQuestion(answer.drawId(), userId)
                    .orElseThrow(() -> ApiException.invalidArgument("draw_id", "is not a draw of yours"));
            if (!drawn.equals(answer.questionId())) {
                throw ApiException.invalidArgument("draw_id", "was drawn for another question");
            }
        }
        Question question = questions.get(answer.questionId()).map(QuestionCache.Entry::question)
                .orElseThrow(() -> ApiException.notFound("no question " + answer.questionId()));
        boolean correct = question.isCorrect(answer.submission());

        Energy energy = profile.energy().refilledAt(now);
        if (!energy.canAfford()) {
            throw ApiException.resourceExhausted("insufficient_energy:" + energy.current(), timeToNextRefill(energy, now));
        }
        energy = energy.spend(now);
        Progress before = profile.progress();
        AnswerRewards rewards = AnswerRewards.of(question.difficulty(), correct, before.streak());
        Progress.Grant grant = before.withStreak(rewards.streakAfter()).grant(rewards.xp(), rewards.coins());
        Progress after = grant.progress();
        profile.update(after, energy, now);
        profile.countAnswer(correct);

        SubmitAnswerResponse response = response(question, correct, rewards, grant, energy, attemptId);
        store.saveAnswer(userId, attemptId, question.id(), correct, rewards.xp(), rewards.coins(),
                response.toByteArray(), now);
        publish(userId, question, attemptId, correct, rewards, grant, now);
        store.countInQuestionStats(question.id(), correct);
        return response;
    }

    /**
     * Fills energy to the maximum. Admins (acting for a player) and premium players refill for free; anyone else
     * pays {@code pawfiler.quiz.energy-refill-cost-coins}.
     */
    @Transactional
    public Energy refillEnergy(String userId, boolean free) {
        Instant now = clock.instant();
        PlayerProfile profile = store.profileForUpdate(userId, now);
        Energy energy = profile.energy().refilledAt(now);
        if (energy.current() >= energy.max()) {
            return energy;
        }
        Progress progress = profile.progress();
        if (!free) {
            if (progress.coins() < refillCostCoins) {
                throw ApiException.failedPrecondition("insufficient_coins:" + progress.coins()
                        + " (a refill costs " + refillCostCoins + ")");
            }
            progress = progress.spendCoins(refillCostCoins);
        }
        Energy full = energy.fill(now);
        profile.update(progress, full, now);
        return full;
    }

    private static Duration timeToNextRefill(Energy energy, Instant now) {
        Duration left = Duration.between(now, energy.refilledAt().plus(Energy.REFILL_INTERVAL));
        return left.isNegative() ? Duration.ofSeconds(1) : left;
    }

    /**
     * The client's attempt id, else the draw it names, else the player's latest draw of the question (the original
     * frontend sends neither; a double submit then still counts once), else a fresh id.
     */
    private String attemptKey(String userId, Answer answer) {
        if (!isBlank(answer.attemptId())) {
            if (answer.attemptId().length() > 64) {
                throw ApiException.invalidArgument("attempt_id", "must be at most 64 characters");
            }
            return answer.attemptId();
        }
        if (!isBlank(answer.drawId())) {
            return "draw:" + answer.drawId();
        }
        return store.latestDraw(userId, answer.questionId()).map(draw -> "draw:" + draw)
                .orElseGet(() -> UUID.randomUUID().toString());
    }

    private static SubmitAnswerResponse replay(byte[] stored) {
        try {
            return SubmitAnswerResponse.parseFrom(stored).toBuilder().setReplayed(true).build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored answer result is unreadable", e);
        }
    }

    private static SubmitAnswerResponse response(Question question, boolean correct, AnswerRewards rewards,
                                                 Progress.Grant grant, Energy energy, String attemptId) {
        Progress after = grant.progress();
        SubmitAnswerResponse.Builder response = SubmitAnswerResponse.newBuilder()
                .setCorrect(correct)
                .setXpEarned(rewards.xp())
                .setCoinsEarned(rewards.coins())
                .setExplanation(question.explanation())
                .setStreakCount(after.streak())
                .setStreakBonus(rewards.streakBonus())
                .setTierPromoted(grant.tierPromoted())
                .setLevel(after.level())
                .setTierName(after.tierTitle())
                .setTotalExp(saturated(after.totalXp()))
                .setTotalCoins(saturated(after.coins()))
                .setEnergy(energy.current())
                .setMaxEnergy(energy.max())
                .setAttemptId(attemptId);
        switch (question.type()) {
            case MULTIPLE_CHOICE -> response.setCorrectIndex(question.correctIndex());
            case TRUE_FALSE -> response.setCorrectAnswer(question.correctAnswer());
            case REGION_SELECT -> {
                question.correctRegions().forEach(r -> response.addCorrectRegions(io.pawfiler.api.quiz.Region.newBuilder()
                        .setX((float) r.x()).setY((float) r.y()).setRadius((float) r.radius())));
                if (question.tolerance() != null) {
                    response.setTolerance(question.tolerance());
                }
            }
            case COMPARISON -> response.setCorrectSide(question.correctSide());
        }
        return response.build();
    }

    private void publish(String userId, Question question, String attemptId, boolean correct, AnswerRewards rewards,
                         Progress.Grant grant, Instant now) {
        Timestamp at = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
        outbox.publish(EventType.QUIZ_ANSWERED, userId, QuizAnswered.newBuilder()
                .setUserId(userId).setQuestionId(question.id()).setAttemptId(attemptId).setCorrect(correct)
                .setDifficulty(question.difficulty().wireName()).setQuestionType(question.type().name())
                .setXpEarned(rewards.xp()).setCoinsEarned(rewards.coins()).setStreak(rewards.streakAfter())
                .setStreakBonus(rewards.streakBonus()).setCategory(question.category()).setAnsweredAt(at)
                .build());
        if (rewards.xp() > 0 || rewards.coins() > 0) {
            Progress after = grant.progress();
            outbox.publish(EventType.XP_EARNED, userId, XpEarned.newBuilder()
                    .setUserId(userId).setXp(rewards.xp()).setCoins(rewards.coins())
                    .setTotalXp(after.totalXp()).setTotalCoins(after.coins())
                    .setTierName(after.tier().displayName()).setLevel(after.level())
                    .setTierPromoted(grant.tierPromoted())
                    .setReason(rewards.streakBonus() > 0 ? "quiz.streak" : "quiz.correct")
                    .setEarnedAt(at).setSourceId(attemptId)
                    .build());
        }
    }

    static int saturated(long value) {
        return (int) Math.min(Integer.MAX_VALUE, value);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
