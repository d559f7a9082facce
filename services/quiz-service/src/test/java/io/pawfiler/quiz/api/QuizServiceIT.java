package io.pawfiler.quiz.api;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pawfiler.api.events.PaymentCompleted;
import io.pawfiler.api.events.QuizAnswered;
import io.pawfiler.api.events.UserProfileChanged;
import io.pawfiler.api.events.UserRegistered;
import io.pawfiler.api.events.XpEarned;
import io.pawfiler.api.events.XpGranted;
import io.pawfiler.api.quiz.GetQuestionByIdRequest;
import io.pawfiler.api.quiz.GetQuestionStatsRequest;
import io.pawfiler.api.quiz.GetRandomQuestionRequest;
import io.pawfiler.api.quiz.GetRankingRequest;
import io.pawfiler.api.quiz.GetRankingResponse;
import io.pawfiler.api.quiz.GetUserProfileRequest;
import io.pawfiler.api.quiz.GetUserStatsRequest;
import io.pawfiler.api.quiz.QuestionType;
import io.pawfiler.api.quiz.QuizQuestion;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.api.quiz.QuizStats;
import io.pawfiler.api.quiz.SubmitAnswerRequest;
import io.pawfiler.api.quiz.SubmitAnswerResponse;
import io.pawfiler.api.quiz.UserProfile;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.CloudEventCodec;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.quiz.service.Rewards;
import io.pawfiler.testing.RealInfrastructure;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.jwt.TestTokens;
import io.pawfiler.testing.kafka.KafkaTopics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** quiz-service over real gRPC and REST, with real PostgreSQL and Kafka. */
@ExtendWith(RealInfrastructure.class)
@HelidonTest
class QuizServiceIT {

    /** Seeded (002-seed-questions.sql): easy MULTIPLE_CHOICE, correct_index 0. */
    private static final String EASY_CHOICE = "00000000-0000-4000-8000-000000000001";
    /** Seeded: easy TRUE_FALSE, correct_answer true. */
    private static final String EASY_TRUE = "00000000-0000-4000-8000-000000000007";

    private static ManagedChannel channel;

    @Inject
    WebTarget target;

    @AfterAll
    static void closeChannel() throws InterruptedException {
        GrpcClients.close(channel);
    }

    @Test
    void aDrawnQuestionCarriesNoAnswerAndTheAnswerRevealsItAndGrantsRewards() {
        // drawing is one player's business; answering (below) another's, whose answers are not tied to draws
        var drawer = quiz(newUser());
        for (int i = 0; i < 8; i++) {
            QuizQuestion question = drawer.getRandomQuestion(GetRandomQuestionRequest.getDefaultInstance());
            assertFalse(question.hasCorrectIndex(), "no correct_index before answering");
            assertFalse(question.hasCorrectAnswer());
            assertFalse(question.hasCorrectSide());
            assertEquals(0, question.getCorrectRegionsCount());
            assertFalse(question.hasTolerance());
            assertEquals("", question.getExplanation());
            assertFalse(question.getDrawId().isBlank());
            assertEquals(100, question.getMaxEnergy());
        }
        QuizQuestion trueFalse = drawer.getRandomQuestion(GetRandomQuestionRequest.newBuilder()
                .setType(QuestionType.TRUE_FALSE).setDifficulty("easy").build());
        assertEquals(QuestionType.TRUE_FALSE, trueFalse.getType());
        assertEquals("easy", trueFalse.getDifficulty());

        var quiz = quiz(newUser());

        SubmitAnswerResponse answer = quiz.submitAnswer(SubmitAnswerRequest.newBuilder()
                .setQuestionId(EASY_CHOICE).setSelectedIndex(0).build());
        assertTrue(answer.getCorrect());
        assertEquals(10, answer.getXpEarned());
        assertEquals(5, answer.getCoinsEarned());
        assertEquals(0, answer.getCorrectIndex());
        assertFalse(answer.getExplanation().isBlank());
        assertEquals(1, answer.getStreakCount());
        assertEquals("알 Lv.1", answer.getTierName());
        assertEquals(10, answer.getTotalExp());
        assertEquals(505, answer.getTotalCoins());
        assertEquals(95, answer.getEnergy());

        SubmitAnswerResponse wrong = quiz.submitAnswer(SubmitAnswerRequest.newBuilder()
                .setQuestionId(EASY_TRUE).setSelectedAnswer(false).build());
        assertFalse(wrong.getCorrect());
        assertEquals(0, wrong.getXpEarned());
        assertTrue(wrong.getCorrectAnswer());
        assertEquals(0, wrong.getStreakCount());

        QuizStats stats = quiz.getUserStats(GetUserStatsRequest.getDefaultInstance());
        assertEquals(2, stats.getTotalAnswered());
        assertEquals(1, stats.getCorrectCount());
        assertEquals(0.5, stats.getCorrectRate());
        assertEquals(1, stats.getBestStreak());
        assertEquals(90, stats.getEnergy());

        // bad input names the field; an unknown question is NOT_FOUND; nothing was charged for either
        StatusRuntimeException outOfRange = assertThrows(StatusRuntimeException.class, () -> quiz.submitAnswer(
                SubmitAnswerRequest.newBuilder().setQuestionId(EASY_CHOICE).setSelectedIndex(9).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, outOfRange.getStatus().getCode());
        assertTrue(outOfRange.getStatus().getDescription().startsWith("selected_index"));
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> quiz.submitAnswer(
                SubmitAnswerRequest.newBuilder().setQuestionId("nope").setSelectedIndex(0).build())).getStatus().getCode());
        assertEquals(90, quiz.getUserStats(GetUserStatsRequest.getDefaultInstance()).getEnergy());
    }

    @Test
    void answersPublishQuizAnsweredAndXpEarnedCloudEvents() {
        String user = newUser();
        SubmitAnswerResponse answer = quiz(user).submitAnswer(SubmitAnswerRequest.newBuilder()
                .setQuestionId(EASY_CHOICE).setSelectedIndex(0).setAttemptId("evt-" + user).build());
        List<KafkaTopics.Record> answered = KafkaTopics.readUntil(EventType.QUIZ_ANSWERED.topic(), Duration.ofSeconds(20),
                records -> records.stream().anyMatch(r -> user.equals(r.key())));
        CloudEvent event = CloudEventCodec.decode(answered.stream().filter(r -> user.equals(r.key())).findFirst()
                .orElseThrow().value());
        assertEquals(user, event.subject());
        QuizAnswered payload = event.dataAs(QuizAnswered.class);
        assertEquals(EASY_CHOICE, payload.getQuestionId());
        assertEquals("evt-" + user, payload.getAttemptId());
        assertTrue(payload.getCorrect());
        assertEquals(10, payload.getXpEarned());
        assertEquals("easy", payload.getDifficulty());
        assertEquals("MULTIPLE_CHOICE", payload.getQuestionType());

        List<KafkaTopics.Record> earned = KafkaTopics.readUntil(EventType.XP_EARNED.topic(), Duration.ofSeconds(20),
                records -> records.stream().anyMatch(r -> user.equals(r.key())));
        XpEarned xp = CloudEventCodec.decode(earned.stream().filter(r -> user.equals(r.key())).findFirst()
                .orElseThrow().value()).dataAs(XpEarned.class);
        assertEquals(10, xp.getXp());
        assertEquals(5, xp.getCoins());
        assertEquals(answer.getTotalExp(), xp.getTotalXp());
        assertEquals(505, xp.getTotalCoins());
        assertEquals("quiz.correct", xp.getReason());
    }

    @Test
    void aRepeatedAttemptReturnsTheFirstResultAndGrantsNothingAgain() {
        String user = newUser();
        var quiz = quiz(user);
        SubmitAnswerRequest request = SubmitAnswerRequest.newBuilder().setQuestionId(EASY_CHOICE).setSelectedIndex(0)
                .setAttemptId("attempt-1").build();
        SubmitAnswerResponse first = quiz.submitAnswer(request);
        SubmitAnswerResponse again = quiz.submitAnswer(request);
        assertFalse(first.getReplayed());
        assertTrue(again.getReplayed());
        assertEquals(first.toBuilder().setReplayed(true).build(), again);

        // the same draw answered twice without an attempt id: one answer
        QuizQuestion drawn = quiz.getRandomQuestion(GetRandomQuestionRequest.newBuilder()
                .setType(QuestionType.TRUE_FALSE).build());
        SubmitAnswerRequest byDraw = SubmitAnswerRequest.newBuilder().setQuestionId(drawn.getId())
                .setSelectedAnswer(true).setDrawId(drawn.getDrawId()).build();
        SubmitAnswerResponse drawFirst = quiz.submitAnswer(byDraw);
        assertTrue(quiz.submitAnswer(byDraw).getReplayed());

        // the original frontend sends neither id: a double submit of a drawn question still counts once
        QuizQuestion legacy = quiz.getRandomQuestion(GetRandomQuestionRequest.newBuilder()
                .setType(QuestionType.COMPARISON).build());
        SubmitAnswerRequest plain = SubmitAnswerRequest.newBuilder().setQuestionId(legacy.getId())
                .setSelectedSide("left").build();
        assertFalse(quiz.submitAnswer(plain).getReplayed());
        assertTrue(quiz.submitAnswer(plain).getReplayed());

        QuizStats stats = quiz.getUserStats(GetUserStatsRequest.getDefaultInstance());
        assertEquals(3, stats.getTotalAnswered(), "three distinct answers");
        assertEquals(85, stats.getEnergy());
        assertTrue(stats.getTotalExp() >= drawFirst.getTotalExp());

        // a draw is bound to its question and its user
        StatusRuntimeException otherQuestion = assertThrows(StatusRuntimeException.class, () -> quiz.submitAnswer(
                SubmitAnswerRequest.newBuilder().setQuestionId(EASY_CHOICE).setSelectedIndex(0)
                        .setDrawId(drawn.getDrawId()).setAttemptId("other").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, otherQuestion.getStatus().getCode());
        StatusRuntimeException otherUser = assertThrows(StatusRuntimeException.class, () -> quiz(newUser()).submitAnswer(
                SubmitAnswerRequest.newBuilder().setQuestionId(drawn.getId()).setSelectedAnswer(true)
                        .setDrawId(drawn.getDrawId()).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, otherUser.getStatus().getCode());
    }

    @Test
    void fiftyConcurrentAnswersOfOnePlayerAllCount() throws Exception {
        String user = newUser();
        var quiz = quiz(user);
        quiz.getUserProfile(GetUserProfileRequest.getDefaultInstance());
        setEnergy(user, 300, 300);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Callable<SubmitAnswerResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(() -> quiz.submitAnswer(SubmitAnswerRequest.newBuilder()
                        .setQuestionId(EASY_CHOICE).setSelectedIndex(0).build()));
            }
            List<SubmitAnswerResponse> responses = new ArrayList<>();
            for (Future<SubmitAnswerResponse> future : pool.invokeAll(calls)) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }
            // each answer saw a different streak: 1..50, exactly once each
            assertEquals(50, responses.stream().map(SubmitAnswerResponse::getStreakCount).distinct().count());
        } finally {
            pool.shutdownNow();
        }
        // 50 x 10 XP + 10 streak bonuses (5th, 10th ... 50th) x 20; 500 + 50 x 5 coins; 50 x 5 energy
        QuizStats stats = quiz.getUserStats(GetUserStatsRequest.getDefaultInstance());
        assertEquals(50, stats.getTotalAnswered());
        assertEquals(700, stats.getTotalExp());
        assertEquals(750, stats.getTotalCoins());
        assertEquals(50, stats.getEnergy());
        assertEquals(50, stats.getCurrentStreak());
    }

    @Test
    void concurrentAnswersOfManyPlayersToOneQuestionAreCountedExactlyInItsStats() throws Exception {
        var reader = quiz(newUser());
        var statsRequest = GetQuestionStatsRequest.newBuilder().setQuestionId(EASY_CHOICE).build();
        var before = reader.getQuestionStats(statsRequest).getStats(0);
        int players = 40;
        ExecutorService pool = Executors.newFixedThreadPool(players);
        try {
            List<Callable<SubmitAnswerResponse>> calls = new ArrayList<>();
            for (int i = 0; i < players; i++) {
                var quiz = quiz(newUser());
                int selected = i % 2;  // option 0 is right, 1 is wrong: half of them correct
                calls.add(() -> quiz.submitAnswer(SubmitAnswerRequest.newBuilder()
                        .setQuestionId(EASY_CHOICE).setSelectedIndex(selected).build()));
            }
            for (Future<SubmitAnswerResponse> future : pool.invokeAll(calls)) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        var after = reader.getQuestionStats(statsRequest).getStats(0);
        assertEquals(before.getTotalAttempts() + players, after.getTotalAttempts());
        assertEquals(Math.round(before.getAccuracy() * before.getTotalAttempts()) + players / 2,
                Math.round(after.getAccuracy() * after.getTotalAttempts()));
    }

    @Test
    void runningOutOfEnergyIsResourceExhaustedWithTheCurrentEnergy() {
        String user = newUser();
        var quiz = quiz(user);
        quiz.getUserProfile(GetUserProfileRequest.getDefaultInstance());
        setEnergy(user, 7, 100);
        assertEquals(2, quiz.submitAnswer(SubmitAnswerRequest.newBuilder().setQuestionId(EASY_CHOICE)
                .setSelectedIndex(1).build()).getEnergy());
        StatusRuntimeException exhausted = assertThrows(StatusRuntimeException.class, () -> quiz.submitAnswer(
                SubmitAnswerRequest.newBuilder().setQuestionId(EASY_CHOICE).setSelectedIndex(0).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, exhausted.getStatus().getCode());
        assertEquals("insufficient_energy:2", exhausted.getStatus().getDescription());
        assertEquals(1, quiz.getUserStats(GetUserStatsRequest.getDefaultInstance()).getTotalAnswered(), "not recorded");
    }

    @Test
    void userRegisteredCreatesTheProfileOnceEvenWhenDeliveredTwice() throws Exception {
        String user = "reg-" + UUID.randomUUID();
        CloudEvent registered = new CloudEvent(UUID.randomUUID().toString(), "/auth-service",
                EventType.USER_REGISTERED, Instant.now(), user, UserRegistered.newBuilder()
                .setUserId(user).setNickname("고양이").setAvatarEmoji("🐱")
                .setRegisteredAt(Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond())).build());
        String encoded = CloudEventCodec.encode(registered);
        KafkaTopics.send(EventType.USER_REGISTERED.topic(), user, encoded);
        KafkaTopics.send(EventType.USER_REGISTERED.topic(), user, encoded);

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (countRows("SELECT count(*) FROM quiz.inbox_event WHERE event_id = '" + registered.id() + "'") == 0
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1000); // let the duplicate arrive too
        assertEquals(1, countRows("SELECT count(*) FROM quiz.user_profiles WHERE user_id = '" + user + "'"));
        UserProfile profile = quiz(user).getUserProfile(GetUserProfileRequest.getDefaultInstance());
        assertEquals("고양이", profile.getNickname());
        assertEquals("🐱", profile.getAvatarEmoji());
        assertEquals(500, profile.getTotalCoins());
        assertEquals(100, profile.getEnergy());
        assertEquals("알 Lv.1", profile.getTierName());
    }

    @Test
    void xpGrantedIsCreditedOncePerGrantIdAndAnnouncedAsXpEarned() {
        String user = newUser();
        String grantId = "community.vote:post-1:" + user;
        CloudEvent vote = xpGranted(user, grantId, 30, 7, "post-1");
        String encoded = CloudEventCodec.encode(vote);
        KafkaTopics.send(EventType.XP_GRANTED.topic(), user, encoded);
        KafkaTopics.send(EventType.XP_GRANTED.topic(), user, encoded);
        // another event (another id, so the inbox lets it through) carrying the same grant
        CloudEvent sameGrant = xpGranted(user, grantId, 30, 7, "post-1");
        KafkaTopics.send(EventType.XP_GRANTED.topic(), user, CloudEventCodec.encode(sameGrant));
        // same key = same partition: once this one is applied, everything before it was handled
        CloudEvent later = xpGranted(user, "community.vote:post-2:" + user, 5, 2, "post-2");
        KafkaTopics.send(EventType.XP_GRANTED.topic(), user, CloudEventCodec.encode(later));
        awaitApplied("quiz.credit-xp", later.id());
        assertEquals(1, countRows("SELECT count(*) FROM quiz.inbox_event WHERE consumer = 'quiz.credit-xp' "
                + "AND event_id = '" + sameGrant.id() + "'"), "the second event of the grant was consumed");

        // a new player: 0 XP and 500 coins, plus each grant once
        UserProfile profile = quiz(user).getUserProfile(GetUserProfileRequest.getDefaultInstance());
        assertEquals(35, profile.getTotalExp());
        assertEquals(509, profile.getTotalCoins());
        assertEquals(35, quiz(user).getUserStats(GetUserStatsRequest.getDefaultInstance()).getTotalExp());
        assertEquals(2, countRows("SELECT count(*) FROM quiz.xp_grants WHERE user_id = '" + user + "'"));

        List<XpEarned> earned = KafkaTopics.readUntil(EventType.XP_EARNED.topic(), Duration.ofSeconds(20),
                        records -> records.stream().filter(r -> user.equals(r.key()))
                                .anyMatch(r -> xpEarned(r).getSourceId().equals("post-2")))
                .stream().filter(r -> user.equals(r.key())).map(QuizServiceIT::xpEarned).toList();
        assertEquals(List.of("post-1", "post-2"), earned.stream().map(XpEarned::getSourceId).toList(),
                "one xp.earned per credited grant");
        XpEarned first = earned.get(0);
        assertEquals(user, first.getUserId());
        assertEquals(30, first.getXp());
        assertEquals(7, first.getCoins());
        assertEquals(30, first.getTotalXp());
        assertEquals(507, first.getTotalCoins());
        assertEquals("community.vote", first.getReason());
        assertEquals("알", first.getTierName());
        assertEquals(35, earned.get(1).getTotalXp());
        assertEquals(509, earned.get(1).getTotalCoins());
    }

    @Test
    void nonsenseGrantsAreDeadLetteredAndCreditNothing() {
        String user = newUser();
        List<CloudEvent> nonsense = List.of(
                xpGranted(user, "too-much:" + user, Rewards.MAX_GRANT_XP + 1, 0, "p"),
                xpGranted(user, "negative:" + user, 10, -5, "p"),
                xpGranted(user, " ", 10, 0, "p"));
        nonsense.forEach(e -> KafkaTopics.send(EventType.XP_GRANTED.topic(), user, CloudEventCodec.encode(e)));

        List<KafkaTopics.Record> dead = KafkaTopics.readUntil(EventType.XP_GRANTED.deadLetterTopic(),
                        Duration.ofSeconds(60), records -> records.stream().filter(r -> r.value().contains(user)).count() >= 3)
                .stream().filter(r -> r.value().contains(user)).toList();
        Map<String, KafkaTopics.Record> deadById = dead.stream()
                .collect(Collectors.toMap(r -> CloudEventCodec.decode(r.value()).id(), r -> r));
        assertEquals(nonsense.stream().map(CloudEvent::id).collect(Collectors.toSet()), deadById.keySet());
        dead.forEach(r -> assertEquals(EventType.XP_GRANTED.topic(), r.headers().get("dlq-orig-topic")));
        Map<String, String> tooMuch = deadById.get(nonsense.get(0).id()).headers();
        assertTrue(tooMuch.get("dlq-error-msg").contains("over the limit"), tooMuch.toString());

        QuizStats stats = quiz(user).getUserStats(GetUserStatsRequest.getDefaultInstance());
        assertEquals(0, stats.getTotalExp());
        assertEquals(500, stats.getTotalCoins());
        assertEquals(0, countRows("SELECT count(*) FROM quiz.xp_grants WHERE user_id = '" + user + "'"));
    }

    @Test
    void aPaymentsBonusCoinsAreCreditedOncePerPaymentIdAndAnnouncedAsXpEarned() {
        String user = newUser();
        String paymentId = "pay-" + UUID.randomUUID();
        CloudEvent paid = paymentCompleted(user, paymentId, 500);
        String encoded = CloudEventCodec.encode(paid);
        KafkaTopics.send(EventType.PAYMENT_COMPLETED.topic(), user, encoded);
        KafkaTopics.send(EventType.PAYMENT_COMPLETED.topic(), user, encoded);
        // the same payment in another event (another id, so the inbox lets it through)
        CloudEvent samePayment = paymentCompleted(user, paymentId, 500);
        KafkaTopics.send(EventType.PAYMENT_COMPLETED.topic(), user, CloudEventCodec.encode(samePayment));
        // same key = same partition: once this one is applied, everything before it was handled
        awaitApplied("quiz.payment-bonus", samePayment.id());

        // a new player: 0 XP and 500 coins, plus the bonus once
        UserProfile profile = quiz(user).getUserProfile(GetUserProfileRequest.getDefaultInstance());
        assertEquals(1000, profile.getTotalCoins());
        assertEquals(0, profile.getTotalExp());
        assertEquals(1, countRows("SELECT count(*) FROM quiz.xp_grants WHERE grant_id = 'payment.bonus:" + paymentId
                + "' AND user_id = '" + user + "' AND coins = 500 AND xp = 0 AND reason = 'payment.bonus'"));

        // a payment without bonus coins credits and announces nothing; the next bonus marks the end of xp.earned
        CloudEvent noBonus = paymentCompleted(user, "pay-" + UUID.randomUUID(), 0);
        KafkaTopics.send(EventType.PAYMENT_COMPLETED.topic(), user, CloudEventCodec.encode(noBonus));
        String markerId = "pay-" + UUID.randomUUID();
        CloudEvent marker = paymentCompleted(user, markerId, 1);
        KafkaTopics.send(EventType.PAYMENT_COMPLETED.topic(), user, CloudEventCodec.encode(marker));
        awaitApplied("quiz.payment-bonus", marker.id());
        assertEquals(1, countRows("SELECT count(*) FROM quiz.inbox_event WHERE consumer = 'quiz.payment-bonus' "
                + "AND event_id = '" + noBonus.id() + "'"), "the payment without a bonus was consumed");
        assertEquals(1001, quiz(user).getUserProfile(GetUserProfileRequest.getDefaultInstance()).getTotalCoins());
        assertEquals(2, countRows("SELECT count(*) FROM quiz.xp_grants WHERE user_id = '" + user + "'"));

        List<XpEarned> earned = KafkaTopics.readUntil(EventType.XP_EARNED.topic(), Duration.ofSeconds(20),
                        records -> records.stream().filter(r -> user.equals(r.key()))
                                .anyMatch(r -> xpEarned(r).getSourceId().equals(markerId)))
                .stream().filter(r -> user.equals(r.key())).map(QuizServiceIT::xpEarned).toList();
        assertEquals(List.of(paymentId, markerId), earned.stream().map(XpEarned::getSourceId).toList(),
                "one xp.earned per credited payment");
        XpEarned bonus = earned.get(0);
        assertEquals(user, bonus.getUserId());
        assertEquals(0, bonus.getXp());
        assertEquals(500, bonus.getCoins());
        assertEquals(0, bonus.getTotalXp());
        assertEquals(1000, bonus.getTotalCoins());
        assertEquals(Rewards.PAYMENT_BONUS_REASON, bonus.getReason());
        assertEquals(paid.dataAs(PaymentCompleted.class).getCompletedAt(), bonus.getEarnedAt());
    }

    @Test
    void nonsensePaymentsAreDeadLetteredAndCreditNothing() {
        String user = newUser();
        List<CloudEvent> nonsense = List.of(
                paymentCompleted(user, "too-much-" + user, Rewards.MAX_PAYMENT_BONUS_COINS + 1),
                paymentCompleted(user, "negative-" + user, -5),
                paymentCompleted(user, " ", 500),
                // the envelope's subject is the user: the codec refuses a blank one before the payload is looked at
                paymentCompleted(user, " ", "nobody-" + user, 500));
        nonsense.forEach(e -> KafkaTopics.send(EventType.PAYMENT_COMPLETED.topic(), user, CloudEventCodec.encode(e)));

        List<KafkaTopics.Record> dead = KafkaTopics.readUntil(EventType.PAYMENT_COMPLETED.deadLetterTopic(),
                        Duration.ofSeconds(60), records -> records.stream().filter(r -> r.value().contains(user)).count() >= 4)
                .stream().filter(r -> r.value().contains(user)).toList();
        Map<String, KafkaTopics.Record> deadById = dead.stream()
                .collect(Collectors.toMap(r -> CloudEventCodec.decode(r.value()).id(), r -> r));
        assertEquals(nonsense.stream().map(CloudEvent::id).collect(Collectors.toSet()), deadById.keySet());
        dead.forEach(r -> assertEquals(EventType.PAYMENT_COMPLETED.topic(), r.headers().get("dlq-orig-topic")));
        Map<String, String> tooMuch = deadById.get(nonsense.get(0).id()).headers();
        assertTrue(tooMuch.get("dlq-error-msg").contains("bonus_coins"), tooMuch.toString());

        QuizStats stats = quiz(user).getUserStats(GetUserStatsRequest.getDefaultInstance());
        assertEquals(500, stats.getTotalCoins());
        assertEquals(0, countRows("SELECT count(*) FROM quiz.xp_grants WHERE user_id = '" + user + "'"));
    }

    @Test
    void aProfileChangeRenamesThePlayerUnlessANewerCardWasAppliedAlready() {
        String user = "renamed-" + UUID.randomUUID();
        Instant registeredAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        var quiz = quiz(user);

        // no profile yet: the change creates it
        CloudEvent newer = profileChanged(user, "새이름", "🦊", registeredAt.plusSeconds(120));
        KafkaTopics.send(EventType.USER_PROFILE_CHANGED.topic(), user, CloudEventCodec.encode(newer));
        awaitApplied("quiz.apply-profile-change", newer.id());
        UserProfile profile = quiz.getUserProfile(GetUserProfileRequest.getDefaultInstance());
        assertEquals("새이름", profile.getNickname());
        assertEquals("🦊", profile.getAvatarEmoji());
        assertEquals(500, profile.getTotalCoins(), "created as a new player");

        // an older change delivered afterwards, and the registration read late from its own topic: no effect
        CloudEvent older = profileChanged(user, "옛이름", "🐶", registeredAt.plusSeconds(60));
        KafkaTopics.send(EventType.USER_PROFILE_CHANGED.topic(), user, CloudEventCodec.encode(older));
        awaitApplied("quiz.apply-profile-change", older.id());
        CloudEvent registered = new CloudEvent(UUID.randomUUID().toString(), "/auth-service",
                EventType.USER_REGISTERED, registeredAt, user, UserRegistered.newBuilder()
                .setUserId(user).setNickname("가입이름").setAvatarEmoji("🐾").setRegisteredAt(timestamp(registeredAt))
                .build());
        KafkaTopics.send(EventType.USER_REGISTERED.topic(), user, CloudEventCodec.encode(registered));
        awaitApplied("quiz.create-profile", registered.id());
        profile = quiz.getUserProfile(GetUserProfileRequest.getDefaultInstance());
        assertEquals("새이름", profile.getNickname());
        assertEquals("🦊", profile.getAvatarEmoji());

        // a still newer one applies
        CloudEvent newest = profileChanged(user, "최신이름", "🐱", registeredAt.plusSeconds(180));
        KafkaTopics.send(EventType.USER_PROFILE_CHANGED.topic(), user, CloudEventCodec.encode(newest));
        awaitApplied("quiz.apply-profile-change", newest.id());
        profile = quiz.getUserProfile(GetUserProfileRequest.getDefaultInstance());
        assertEquals("최신이름", profile.getNickname());
        assertEquals("🐱", profile.getAvatarEmoji());
        assertEquals(1, countRows("SELECT count(*) FROM quiz.user_profiles WHERE user_id = '" + user + "'"));
    }

    @Test
    void rankingListsTopPlayersAndTheCallersOwnRank() {
        String leader = newUser();
        quiz(leader).submitAnswer(SubmitAnswerRequest.newBuilder().setQuestionId(EASY_CHOICE).setSelectedIndex(0).build());
        setTier(leader, 3, 5000);
        String me = newUser();
        GetRankingResponse ranking = quiz(me).getRanking(GetRankingRequest.newBuilder().setSortBy("tier").setLimit(3).build());
        assertEquals(leader, ranking.getEntries(0).getUserId());
        assertEquals("불사조", ranking.getEntries(0).getTier());
        assertEquals(1, ranking.getEntries(0).getRank());
        assertTrue(ranking.getEntriesCount() <= 3);
        assertEquals(me, ranking.getMyEntry().getUserId());
        assertTrue(ranking.getMyEntry().getRank() > 1);
        assertTrue(ranking.getTotalRanked() >= 2);

        var stats = quiz(me).getQuestionStats(GetQuestionStatsRequest.newBuilder().setQuestionId(EASY_CHOICE).build());
        assertEquals(EASY_CHOICE, stats.getStats(0).getId());
        assertTrue(stats.getStats(0).getTotalAttempts() >= 1);
    }

    @Test
    void aUserIdInARequestOnlyCountsForAdmins() {
        String player = newUser();
        String other = newUser();
        quiz(player).submitAnswer(SubmitAnswerRequest.newBuilder().setQuestionId(EASY_CHOICE).setSelectedIndex(0)
                .setUserId(other).build());
        assertEquals(1, quiz(player).getUserStats(GetUserStatsRequest.getDefaultInstance()).getTotalAnswered());
        assertEquals(0, quiz(other).getUserStats(GetUserStatsRequest.getDefaultInstance()).getTotalAnswered());
        var admin = quiz(TestTokens.shared().token("admin-1", "user", "admin"));
        assertEquals(1, admin.getUserStats(GetUserStatsRequest.newBuilder().setUserId(player).build()).getTotalAnswered());
        StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class, () -> QuizServiceGrpc
                .newBlockingStub(channel()).getUserStats(GetUserStatsRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());
    }

    @Test
    void adminsManageQuestionsOverRest() {
        String admin = TestTokens.shared().token("admin-1", "user", "admin");
        JsonObject question = Json.createObjectBuilder()
                .add("type", "COMPARISON").add("media_type", "IMAGE").add("media_url", "https://cdn.pawfiler.io/t/a.jpg")
                .add("comparison_media_url", "https://cdn.pawfiler.io/t/b.jpg").add("difficulty", "hard")
                .add("category", "test").add("explanation", "왼쪽이 합성").add("correct_side", "left").build();

        assertEquals(401, target.path("/admin/questions").request().post(Entity.json(question.toString())).getStatus());
        Response forbidden = target.path("/admin/questions").request()
                .header("Authorization", "Bearer " + TestTokens.shared().token(newUser(), "user"))
                .post(Entity.json(question.toString()));
        assertEquals(403, forbidden.getStatus());

        Response created = target.path("/admin/questions").request().header("Authorization", "Bearer " + admin)
                .post(Entity.json(question.toString()));
        JsonObject createdBody = json(created);
        assertEquals(201, created.getStatus(), createdBody.toString());
        String id = createdBody.getString("id");

        Response invalid = target.path("/admin/questions").request().header("Authorization", "Bearer " + admin)
                .post(Entity.json(Json.createObjectBuilder(question).add("correct_side", "middle").build().toString()));
        assertEquals(400, invalid.getStatus());
        assertEquals("correct_side", json(invalid).getString("field"));

        String player = newUser();
        SubmitAnswerResponse answered = quiz(player).submitAnswer(SubmitAnswerRequest.newBuilder().setQuestionId(id)
                .setSelectedSide("left").build());
        assertTrue(answered.getCorrect());
        assertEquals(50, answered.getXpEarned());

        // answers are judged against the question held in memory: an admin's change must show at once
        Response changed = target.path("/admin/questions/" + id).request().header("Authorization", "Bearer " + admin)
                .put(Entity.json(Json.createObjectBuilder(question).add("correct_side", "right").build().toString()));
        assertEquals(200, changed.getStatus(), json(changed).toString());
        SubmitAnswerResponse afterChange = quiz(newUser()).submitAnswer(SubmitAnswerRequest.newBuilder()
                .setQuestionId(id).setSelectedSide("left").build());
        assertFalse(afterChange.getCorrect(), "judged by the changed question, not the one answered before");
        assertEquals("right", afterChange.getCorrectSide());

        assertEquals(204, target.path("/admin/questions/" + id).request().header("Authorization", "Bearer " + admin)
                .delete().getStatus());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> quiz(player)
                .getQuestionById(GetQuestionByIdRequest.newBuilder().setQuestionId(id).build())).getStatus().getCode(),
                "a retired question is gone at once");
        for (int i = 0; i < 10; i++) {
            assertNotEquals(id, quiz(player).getRandomQuestion(GetRandomQuestionRequest.newBuilder()
                    .setType(QuestionType.COMPARISON).setDifficulty("hard").build()).getId(), "retired");
        }
        String openapi = target.path("/openapi").request().accept("application/yaml").get(String.class);
        assertTrue(openapi.contains("/admin/questions"), "OpenAPI documents the admin API");
    }

    // ---------------------------------------------------------------- helpers

    private static String newUser() {
        return UUID.randomUUID().toString();
    }

    private static CloudEvent xpGranted(String user, String grantId, int xp, int coins, String sourceId) {
        return new CloudEvent(UUID.randomUUID().toString(), "/community-service", EventType.XP_GRANTED, Instant.now(),
                user, XpGranted.newBuilder().setGrantId(grantId).setUserId(user).setXp(xp).setCoins(coins)
                .setReason("community.vote").setSourceId(sourceId).setGrantedAt(timestamp(Instant.now())).build());
    }

    private static CloudEvent paymentCompleted(String user, String paymentId, int bonusCoins) {
        return paymentCompleted(user, user, paymentId, bonusCoins);
    }

    private static CloudEvent paymentCompleted(String subject, String user, String paymentId, int bonusCoins) {
        Instant completedAt = Instant.now().minusSeconds(5);
        return new CloudEvent(UUID.randomUUID().toString(), "/payment-service", EventType.PAYMENT_COMPLETED,
                Instant.now(), subject, PaymentCompleted.newBuilder().setPaymentId(paymentId).setUserId(user)
                .setPlanId("premium-yearly").setAmount(99000).setCurrency("KRW").setSubscriptionId("sub-" + user)
                .setPremiumUntil(timestamp(completedAt.plus(Duration.ofDays(365)))).setCompletedAt(timestamp(completedAt))
                .setBonusCoins(bonusCoins).build());
    }

    private static CloudEvent profileChanged(String user, String nickname, String avatar, Instant changedAt) {
        return new CloudEvent(UUID.randomUUID().toString(), "/auth-service", EventType.USER_PROFILE_CHANGED, changedAt,
                user, UserProfileChanged.newBuilder().setUserId(user).setNickname(nickname).setAvatarEmoji(avatar)
                .setChangedAt(timestamp(changedAt)).build());
    }

    private static XpEarned xpEarned(KafkaTopics.Record record) {
        return CloudEventCodec.decode(record.value()).dataAs(XpEarned.class);
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** Waits until {@code consumer} applied the event (its inbox row commits with the effect). */
    private static void awaitApplied(String consumer, String eventId) {
        // a topic created by the test's first record is found by the service's consumer within its metadata max age
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        String sql = "SELECT count(*) FROM quiz.inbox_event WHERE consumer = '" + consumer + "' AND event_id = '"
                + eventId + "'";
        while (countRows(sql) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(consumer + " never applied event " + eventId);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void setEnergy(String user, int energy, int max) {
        update("UPDATE quiz.user_profiles SET energy = " + energy + ", max_energy = " + max
                + ", energy_refilled_at = now() WHERE user_id = '" + user + "'");
    }

    private static void setTier(String user, int tierRank, int tierXp) {
        update("UPDATE quiz.user_profiles SET tier_rank = " + tierRank + ", tier_xp = " + tierXp
                + " WHERE user_id = '" + user + "'");
    }

    private static void update(String sql) {
        try (Connection connection = RealInfrastructure.currentDatabase().connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            assertEquals(1, statement.executeUpdate());
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static int countRows(String sql) {
        try (Connection connection = RealInfrastructure.currentDatabase().connect();
             var rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonObject json(Response response) {
        return Json.createReader(new StringReader(response.readEntity(String.class))).readObject();
    }

    private ManagedChannel channel() {
        if (channel == null) {
            channel = GrpcClients.plaintext(target.getUri().getPort());
        }
        return channel;
    }

    /** A stub calling as {@code userIdOrToken} (a user id, or a ready token when it contains dots). */
    private QuizServiceGrpc.QuizServiceBlockingStub quiz(String userIdOrToken) {
        String token = userIdOrToken.contains(".") ? userIdOrToken : TestTokens.shared().token(userIdOrToken, "user");
        return QuizServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(60, TimeUnit.SECONDS)
                .withInterceptors(GrpcClients.bearer(token));
    }
}
