package io.pawfiler.quiz.api;

import java.util.Locale;
import java.util.Optional;

import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import io.pawfiler.api.quiz.GetQuestionByIdRequest;
import io.pawfiler.api.quiz.GetQuestionStatsRequest;
import io.pawfiler.api.quiz.GetQuestionStatsResponse;
import io.pawfiler.api.quiz.GetRandomQuestionRequest;
import io.pawfiler.api.quiz.GetRankingRequest;
import io.pawfiler.api.quiz.GetRankingResponse;
import io.pawfiler.api.quiz.GetUserProfileRequest;
import io.pawfiler.api.quiz.GetUserStatsRequest;
import io.pawfiler.api.quiz.QuestionStat;
import io.pawfiler.api.quiz.QuizQuestion;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.api.quiz.QuizStats;
import io.pawfiler.api.quiz.RefillEnergyRequest;
import io.pawfiler.api.quiz.RefillEnergyResponse;
import io.pawfiler.api.quiz.SubmitAnswerRequest;
import io.pawfiler.api.quiz.SubmitAnswerResponse;
import io.pawfiler.api.quiz.UpdateUserProfileRequest;
import io.pawfiler.api.quiz.UserProfile;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.security.Caller;
import io.pawfiler.platform.security.CallerContext;
import io.pawfiler.quiz.domain.Difficulty;
import io.pawfiler.quiz.domain.Energy;
import io.pawfiler.quiz.domain.Question;
import io.pawfiler.quiz.domain.QuestionType;
import io.pawfiler.quiz.service.Players;
import io.pawfiler.quiz.service.QuizGame;
import io.pawfiler.quiz.store.QuizStore;

/**
 * {@code quiz.QuizService}. The player is the token's subject; a {@code user_id} in a request only counts when an
 * admin sends it.
 */
@Dependent
public class QuizGrpcService extends QuizServiceGrpc.QuizServiceImplBase {

    @Inject
    QuizGame game;

    @Inject
    Players players;

    @Inject
    CallerContext callers;

    @Override
    public void getRandomQuestion(GetRandomQuestionRequest request, StreamObserver<QuizQuestion> response) {
        String userId = player(request.getUserId());
        Optional<Difficulty> difficulty = Optional.empty();
        if (request.hasDifficulty() && !request.getDifficulty().isBlank()) {
            difficulty = Optional.of(Difficulty.parse(request.getDifficulty()).orElseThrow(() ->
                    ApiException.invalidArgument("difficulty", "must be easy, medium or hard")));
        }
        Optional<QuestionType> type = request.hasType()
                ? Optional.of(QuestionType.valueOf(request.getType().name())) : Optional.empty();
        QuizGame.Draw draw = game.drawQuestion(userId, difficulty, type);
        reply(response, QuizMapping.withoutAnswer(draw.question()).toBuilder()
                .setDrawId(draw.drawId()).setEnergy(draw.energy().current()).setMaxEnergy(draw.energy().max()).build());
    }

    @Override
    public void getQuestionById(GetQuestionByIdRequest request, StreamObserver<QuizQuestion> response) {
        callers.require();
        if (request.getQuestionId().isBlank()) {
            throw ApiException.invalidArgument("question_id", "is required");
        }
        reply(response, QuizMapping.withoutAnswer(game.question(request.getQuestionId())));
    }

    @Override
    public void submitAnswer(SubmitAnswerRequest request, StreamObserver<SubmitAnswerResponse> response) {
        String userId = player(request.getUserId());
        Question.Submission submission = new Question.Submission(
                request.hasSelectedIndex() ? request.getSelectedIndex() : null,
                request.hasSelectedAnswer() ? request.getSelectedAnswer() : null,
                request.hasSelectedRegion() ? (double) request.getSelectedRegion().getX() : null,
                request.hasSelectedRegion() ? (double) request.getSelectedRegion().getY() : null,
                request.hasSelectedSide() ? request.getSelectedSide() : null);
        reply(response, game.answer(userId, new QuizGame.Answer(request.getQuestionId(), submission,
                request.getAttemptId(), request.getDrawId())));
    }

    @Override
    public void getUserStats(GetUserStatsRequest request, StreamObserver<QuizStats> response) {
        Players.Snapshot snapshot = players.snapshot(player(request.getUserId()));
        var profile = snapshot.profile();
        var progress = profile.progress();
        reply(response, QuizStats.newBuilder()
                .setTotalAnswered(profile.totalAnswered())
                .setCorrectCount(profile.correctCount())
                .setCorrectRate(profile.totalAnswered() == 0 ? 0 : profile.correctCount() / (double) profile.totalAnswered())
                .setCurrentStreak(progress.streak())
                .setBestStreak(progress.bestStreak())
                .setLives(snapshot.energy().current() / Energy.COST)
                .setLevel(progress.level())
                .setTierName(progress.tierTitle())
                .setTotalExp(QuizMapping.saturated(progress.totalXp()))
                .setTotalCoins(QuizMapping.saturated(progress.coins()))
                .setEnergy(snapshot.energy().current())
                .setMaxEnergy(snapshot.energy().max())
                .build());
    }

    @Override
    public void getUserProfile(GetUserProfileRequest request, StreamObserver<UserProfile> response) {
        reply(response, QuizMapping.profile(players.snapshot(player(request.getUserId()))));
    }

    @Override
    public void updateUserProfile(UpdateUserProfileRequest request, StreamObserver<UserProfile> response) {
        String userId = player(request.getUserId());
        reply(response, QuizMapping.profile(players.rename(userId,
                request.hasNickname() ? request.getNickname() : null,
                request.hasAvatarEmoji() ? request.getAvatarEmoji() : null)));
    }

    @Override
    public void getRanking(GetRankingRequest request, StreamObserver<GetRankingResponse> response) {
        Caller caller = callers.require();
        QuizStore.RankingOrder order = switch (request.getSortBy().strip().toLowerCase(Locale.ROOT)) {
            case "tier", "" -> QuizStore.RankingOrder.TIER;
            case "accuracy" -> QuizStore.RankingOrder.ACCURACY;
            case "coins" -> QuizStore.RankingOrder.COINS;
            default -> QuizStore.RankingOrder.CORRECT;
        };
        Players.Ranking ranking = players.ranking(caller.userId(), order, request.getLimit());
        GetRankingResponse.Builder out = GetRankingResponse.newBuilder().setTotalRanked(ranking.totalRanked())
                .setMyEntry(QuizMapping.rankingEntry(ranking.caller()));
        ranking.top().forEach(entry -> out.addEntries(QuizMapping.rankingEntry(entry)));
        reply(response, out.build());
    }

    @Override
    public void getQuestionStats(GetQuestionStatsRequest request, StreamObserver<GetQuestionStatsResponse> response) {
        callers.require();
        Optional<String> questionId = request.hasQuestionId() && !request.getQuestionId().isBlank()
                ? Optional.of(request.getQuestionId()) : Optional.empty();
        GetQuestionStatsResponse.Builder out = GetQuestionStatsResponse.newBuilder();
        players.questionStats(questionId).forEach(stat -> out.addStats(QuestionStat.newBuilder()
                .setId(stat.questionId())
                .setTotalAttempts((int) stat.attempts())
                .setAccuracy(stat.attempts() == 0 ? 0 : stat.correct() / (double) stat.attempts())));
        reply(response, out.build());
    }

    @Override
    public void refillEnergy(RefillEnergyRequest request, StreamObserver<RefillEnergyResponse> response) {
        Caller caller = callers.require();
        String userId = caller.subjectOrAdminChoice(checkedUserId(request.getUserId()));
        Energy energy = game.refillEnergy(userId, caller.isAdmin() || caller.hasRole("premium"));
        reply(response, RefillEnergyResponse.newBuilder().setSuccess(true).setEnergy(energy.current())
                .setMaxEnergy(energy.max()).build());
    }

    private String player(String requestedUserId) {
        return callers.require().subjectOrAdminChoice(checkedUserId(requestedUserId));
    }

    /** An admin's choice of player: a user id fits the 64 characters of the profile table (was INTERNAL). */
    static String checkedUserId(String requestedUserId) {
        if (requestedUserId != null && requestedUserId.length() > 64) {
            throw ApiException.invalidArgument("user_id", "must be at most 64 characters");
        }
        return requestedUserId;
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }
}
