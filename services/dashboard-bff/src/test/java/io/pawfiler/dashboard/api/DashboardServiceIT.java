package io.pawfiler.dashboard.api;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
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

import io.pawfiler.api.dashboard.Activity;
import io.pawfiler.api.dashboard.ActivityFeed;
import io.pawfiler.api.dashboard.ActivityType;
import io.pawfiler.api.dashboard.DailyQuest;
import io.pawfiler.api.dashboard.Dashboard;
import io.pawfiler.api.dashboard.DashboardServiceGrpc;
import io.pawfiler.api.dashboard.GetActivityFeedRequest;
import io.pawfiler.api.dashboard.GetDashboardRequest;
import io.pawfiler.api.events.AnalysisCompleted;
import io.pawfiler.api.events.CommunityActivity;
import io.pawfiler.api.events.PaymentCompleted;
import io.pawfiler.api.events.PremiumChanged;
import io.pawfiler.api.events.QuizAnswered;
import io.pawfiler.api.events.UserProfileChanged;
import io.pawfiler.api.events.UserRegistered;
import io.pawfiler.api.events.VideoUploaded;
import io.pawfiler.api.events.XpEarned;
import io.pawfiler.api.events.XpGranted;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.CloudEventCodec;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.testing.RealInfrastructure;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.jwt.TestTokens;
import io.pawfiler.testing.kafka.KafkaTopics;
import io.pawfiler.testing.postgres.Sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dashboard-bff over real gRPC and HTTP, fed by CloudEvents on a real Kafka broker, with a real PostgreSQL; the
 * community counts come from a stand-in community-service on a real gRPC server ({@link StandInCommunity}).
 */
@ExtendWith({RealInfrastructure.class, StandInCommunity.class})
@HelidonTest
class DashboardServiceIT {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final Duration AWAIT = Duration.ofSeconds(45);
    private static ManagedChannel channel;

    @Inject
    WebTarget target;

    @AfterAll
    static void closeChannel() throws InterruptedException {
        GrpcClients.close(channel);
    }

    @Test
    void everyEventBecomesTheDashboardAndDuplicatesOrReorderingChangeNothing() {
        String user = newUser();
        Instant base = base();
        send(EventType.USER_REGISTERED, user, UserRegistered.newBuilder().setUserId(user).setNickname("탐정")
                .setAvatarEmoji("🦊").setRegisteredAt(ts(base)).build());
        // a rename, then an older one read late
        send(EventType.USER_PROFILE_CHANGED, user, UserProfileChanged.newBuilder().setUserId(user).setNickname("새이름")
                .setAvatarEmoji("🐶").setChangedAt(ts(base.plusSeconds(20))).build());
        send(EventType.USER_PROFILE_CHANGED, user, UserProfileChanged.newBuilder().setUserId(user).setNickname("옛이름")
                .setAvatarEmoji("🐱").setChangedAt(ts(base.plusSeconds(10))).build());
        // answers out of order: the newest (t+4, streak 1) first
        CloudEvent newestAnswer = send(EventType.QUIZ_ANSWERED, user, answer(user, true, 1, base.plusSeconds(4)));
        send(EventType.QUIZ_ANSWERED, user, answer(user, true, 1, base.plusSeconds(1)));
        send(EventType.QUIZ_ANSWERED, user, answer(user, false, 0, base.plusSeconds(3)));
        send(EventType.QUIZ_ANSWERED, user, answer(user, true, 2, base.plusSeconds(2)));
        // totals: the newer announcement first, the older one (less XP, more coins) late
        CloudEvent newerXp = send(EventType.XP_EARNED, user, xp(user, 20, 120, 600, 2, "quiz.correct", base.plusSeconds(4)));
        send(EventType.XP_EARNED, user, xp(user, 10, 100, 650, 1, "quiz.correct", base.plusSeconds(2)));
        // a task's outcome before its upload, and a task still running
        String done = "task-" + UUID.randomUUID();
        String running = "task-" + UUID.randomUUID();
        send(EventType.ANALYSIS_COMPLETED, user, AnalysisCompleted.newBuilder().setTaskId(done).setUserId(user)
                .setStatus("COMPLETED").setVerdict("FAKE").setConfidenceScore(0.9).setCompletedAt(ts(base.plusSeconds(8)))
                .build());
        send(EventType.VIDEO_UPLOADED, user, VideoUploaded.newBuilder().setTaskId(done).setUserId(user)
                .setFilename("clip.mp4").setUploadedAt(ts(base.plusSeconds(6))).build());
        send(EventType.VIDEO_UPLOADED, user, VideoUploaded.newBuilder().setTaskId(running).setUserId(user)
                .setFilename("second.mp4").setUploadedAt(ts(base.plusSeconds(7))).build());
        // a payment, and an expiry recorded before it but read after it
        Instant until = Instant.now().plus(Duration.ofDays(30));
        send(EventType.PAYMENT_COMPLETED, user, PaymentCompleted.newBuilder().setPaymentId("pay-" + user).setUserId(user)
                .setPlanId("premium_monthly").setPremiumUntil(ts(until)).setCompletedAt(ts(base.plusSeconds(9))).build());
        send(EventType.PREMIUM_CHANGED, user, PremiumChanged.newBuilder().setUserId(user).setReason("expired")
                .setChangedAt(ts(base.plusSeconds(5))).build());
        send(EventType.COMMUNITY_ACTIVITY, user, activity(user, "post_voted", base.plusSeconds(11)));

        Dashboard first = awaitDashboard(user, d -> d.getQuiz().getTotalAnswered() == 4 && d.getAnalysis().getTotalAnalyses() == 2
                && d.getAnalysis().getFakeCount() == 1 && d.getSubscription().getPremium() && d.getNickname().equals("새이름")
                && d.getProgress().getExpToday() == 30 && quest(d, "vote_2").getProgress() == 1
                && d.getAnalysis().getRecentList().stream().anyMatch(r -> r.getFilename().equals("clip.mp4")));
        assertEquals(user, first.getUserId());
        assertEquals("🐶", first.getAvatarEmoji());
        assertEquals(120, first.getProgress().getTotalExp(), "the highest lifetime XP wins");
        assertEquals(600, first.getProgress().getTotalCoins(), "coins follow it");
        assertEquals(2, first.getProgress().getLevel());
        assertEquals(3, first.getQuiz().getCorrectCount());
        assertEquals(0.75, first.getQuiz().getCorrectRate(), 1e-9);
        assertEquals(1, first.getQuiz().getCurrentStreak(), "the streak after the newest answer");
        assertEquals(2, first.getQuiz().getBestStreak());
        assertEquals(ts(base.plusSeconds(4)), first.getQuiz().getLastAnsweredAt());
        var recent = first.getAnalysis().getRecentList();
        assertEquals(List.of(running, done), recent.stream().map(r -> r.getTaskId()).toList(), "newest upload first");
        assertEquals("UPLOADED", recent.get(0).getStatus());
        assertEquals("COMPLETED", recent.get(1).getStatus(), "a late upload does not bring the task back to UPLOADED");
        assertEquals("FAKE", recent.get(1).getVerdict());
        assertEquals(0.9, first.getAnalysis().getAverageConfidence(), 1e-9);
        assertEquals("premium_monthly", first.getSubscription().getPlanId());
        assertEquals(ts(until), first.getSubscription().getPremiumUntil());
        assertEquals(ts(base.plusSeconds(20)), first.getAsOf(), "as_of: the newest event applied");
        assertTrue(quest(first, "quiz_correct_3").getCompleted(), "three correct answers today");
        assertEquals(3, quest(first, "quiz_correct_3").getProgress());
        assertTrue(quest(first, "analysis_1").getCompleted());
        assertFalse(quest(first, "vote_2").getCompleted());

        // the same events again (same ids), then one more answer and one more (older) announcement as markers: only
        // the markers count
        publish(newestAnswer);
        publish(newerXp);
        send(EventType.QUIZ_ANSWERED, user, answer(user, false, 0, base.plusSeconds(3)));
        send(EventType.XP_EARNED, user, xp(user, 5, 110, 700, 2, "quiz.correct", base.plusSeconds(3)));
        Dashboard after = awaitDashboard(user, d -> d.getQuiz().getTotalAnswered() >= 5 && d.getProgress().getExpToday() >= 35);
        assertEquals(5, after.getQuiz().getTotalAnswered(), "the duplicate answer was not counted");
        assertEquals(3, after.getQuiz().getCorrectCount());
        assertEquals(35, after.getProgress().getExpToday(), "the duplicate XP was not counted");
        assertEquals(120, after.getProgress().getTotalExp());
        assertEquals(1, after.getQuiz().getCurrentStreak(), "an older wrong answer does not end the newest streak");

        // the quests' rewards went out once each, with their grant ids
        LocalDate today = LocalDate.now(SEOUL);
        List<String> expected = List.of("dashboard.quest:quiz_correct_3:" + today + ":" + user,
                "dashboard.quest:analysis_1:" + today + ":" + user);
        List<XpGranted> grants = awaitGrants(user, g -> g.size() >= 2);
        assertEquals(expected.stream().sorted().toList(), grants.stream().map(XpGranted::getGrantId).sorted().toList());
        XpGranted quizReward = grants.stream().filter(g -> g.getGrantId().contains("quiz_correct_3")).findFirst().orElseThrow();
        assertEquals(quest(first, "quiz_correct_3").getRewardXp(), quizReward.getXp());
        assertEquals("dashboard.quest", quizReward.getReason());

        // the feed: one line per distinct event, ids are the events', newest first
        ActivityFeed feed = dashboard(user).getActivityFeed(GetActivityFeedRequest.newBuilder().setPageSize(100).build());
        List<Activity> lines = feed.getActivitiesList();
        assertEquals(newestAnswer.id(), lines.stream().filter(a -> a.getOccurredAt().equals(ts(base.plusSeconds(4)))
                && a.getType() == ActivityType.ACTIVITY_QUIZ_ANSWERED).findFirst().orElseThrow().getId());
        assertEquals(lines.size(), lines.stream().map(Activity::getId).distinct().count());
        assertEquals(ActivityType.ACTIVITY_PROFILE_CHANGED, lines.get(0).getType(), "the rename at t+20 is the newest");
        Activity quiz = lines.stream().filter(a -> a.getType() == ActivityType.ACTIVITY_QUIZ_ANSWERED).findFirst().orElseThrow();
        assertEquals("🎮", quiz.getIcon());
        assertTrue(quiz.getTitle().startsWith("딥페이크 퀴즈"), quiz.getTitle());
    }

    @Test
    void theActivityFeedPagesNewestFirstWithAnOpaqueToken() {
        String user = newUser();
        Instant base = base();
        String[] kinds = {"post_created", "comment_created", "post_liked", "post_unliked", "post_voted", "comment_deleted",
                "post_deleted"};
        List<CloudEvent> sent = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(3));
        for (int i : order) {
            sent.add(send(EventType.COMMUNITY_ACTIVITY, user, activity(user, kinds[i % kinds.length],
                    base.plusMillis(100L * i))));
        }
        awaitDashboard(user, d -> feedSize(user) == 25);
        List<String> newestFirst = sent.stream().sorted(Comparator.comparing(DashboardServiceIT::occurred).reversed())
                .map(CloudEvent::id).toList();

        List<String> seen = new ArrayList<>();
        String token = "";
        List<Integer> sizes = new ArrayList<>();
        do {
            ActivityFeed page = dashboard(user).getActivityFeed(GetActivityFeedRequest.newBuilder().setPageSize(10)
                    .setPageToken(token).build());
            sizes.add(page.getActivitiesCount());
            page.getActivitiesList().forEach(a -> seen.add(a.getId()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertEquals(List.of(10, 10, 5), sizes);
        assertEquals(newestFirst, seen, "newest first, no line twice, none left out");

        ActivityFeed defaults = dashboard(user).getActivityFeed(GetActivityFeedRequest.getDefaultInstance());
        assertEquals(20, defaults.getActivitiesCount(), "default page size 20");
        Activity vote = defaults.getActivitiesList().stream().filter(a -> a.getType() == ActivityType.ACTIVITY_POST_VOTED)
                .findFirst().orElseThrow();
        assertEquals("진짜/가짜 투표", vote.getTitle());
        assertEquals("🗳️", vote.getIcon());
        assertEquals(1, vote.getXp());
        assertTrue(defaults.getActivitiesList().stream().anyMatch(a -> a.getType() == ActivityType.ACTIVITY_POST_CREATED
                && a.getTitle().equals("커뮤니티 게시글 작성") && a.getIcon().equals("📜")));

        assertInvalid("page_token", () -> dashboard(user).getActivityFeed(GetActivityFeedRequest.newBuilder()
                .setPageToken("not-a-token").build()));
        assertInvalid("page_size", () -> dashboard(user).getActivityFeed(GetActivityFeedRequest.newBuilder()
                .setPageSize(101).build()));

        // REST: the same page as JSON with the proto's field names; bad input is problem+json naming the field
        Response rest = target.path("/dashboard/activities").queryParam("page_size", 10).request()
                .header("Authorization", "Bearer " + token(user)).get();
        assertEquals(200, rest.getStatus());
        JsonObject json = Json.createReader(new java.io.StringReader(rest.readEntity(String.class))).readObject();
        assertEquals(newestFirst.subList(0, 10), json.getJsonArray("activities").stream()
                .map(a -> a.asJsonObject().getString("id")).toList());
        assertFalse(json.getString("next_page_token").isEmpty());
        assertTrue(json.getJsonArray("activities").getJsonObject(0).containsKey("occurred_at"), "snake_case names");
        Response bad = target.path("/dashboard/activities").queryParam("page_token", "garbage").request()
                .header("Authorization", "Bearer " + token(user)).get();
        assertEquals(400, bad.getStatus());
        assertEquals("application/problem+json", bad.getMediaType().toString());
        assertTrue(bad.readEntity(String.class).contains("page_token"));
    }

    @Test
    void theCommunitySectionIsCommunityServicesAndUnavailableWithinItsTimeoutWhenItDoesNotAnswer() {
        StandInCommunity.silent(false);
        String user = newUser();
        String callerToken = token(user);
        Dashboard answered = DashboardServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(GrpcClients.bearer(callerToken)).getDashboard(GetDashboardRequest.getDefaultInstance());
        assertTrue(answered.hasCommunity(), answered.getUnavailableSectionsList().toString());
        assertEquals(StandInCommunity.POSTS, answered.getCommunity().getPosts());
        assertEquals(StandInCommunity.COMMENTS, answered.getCommunity().getComments());
        assertEquals(StandInCommunity.LIKES_RECEIVED, answered.getCommunity().getLikesReceived());
        assertEquals(StandInCommunity.VOTES_CAST, answered.getCommunity().getVotesCast());
        assertTrue(answered.getUnavailableSectionsList().isEmpty());
        List<StandInCommunity.Call> calls = StandInCommunity.calls().stream().filter(c -> c.userId().equals(user)).toList();
        assertEquals(1, calls.size());
        assertEquals("Bearer " + callerToken, calls.get(0).authorization(), "asked on the caller's behalf");
        dashboard(user).getDashboard(GetDashboardRequest.getDefaultInstance());
        assertEquals(1, StandInCommunity.calls().stream().filter(c -> c.userId().equals(user)).count(),
                "remembered for a few seconds");

        StandInCommunity.silent(true);
        try {
            String other = newUser();
            send(EventType.USER_REGISTERED, other, UserRegistered.newBuilder().setUserId(other).setNickname("조용한")
                    .setAvatarEmoji("🐻").setRegisteredAt(ts(base())).build());
            awaitDashboard(other, d -> d.getNickname().equals("조용한"));
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                Dashboard silent = dashboard(other).getDashboard(GetDashboardRequest.getDefaultInstance());
                long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
                assertFalse(silent.hasCommunity());
                assertEquals(List.of("community"), silent.getUnavailableSectionsList());
                assertEquals("조용한", silent.getNickname(), "the rest of the dashboard is there");
                // 300 ms per attempt; the stand-in would hold the call forever
                assertTrue(millis < 1_500, "answered in " + millis + " ms");
            }
            assertTrue(StandInCommunity.calls().stream().anyMatch(c -> c.userId().equals(other)), "it was asked");
        } finally {
            StandInCommunity.silent(false);
        }
    }

    @Test
    void aRebuildFromTheTopicsReproducesTheReadModelAndOnlyAdminsMayStartIt() throws Exception {
        String user = newUser();
        Instant base = base();
        send(EventType.USER_REGISTERED, user, UserRegistered.newBuilder().setUserId(user).setNickname("재건")
                .setAvatarEmoji("🦝").setRegisteredAt(ts(base)).build());
        CloudEvent answerEvent = send(EventType.QUIZ_ANSWERED, user, answer(user, true, 1, base.plusSeconds(1)));
        publish(answerEvent);  // a duplicate in the topic: the replay must skip it too
        send(EventType.XP_EARNED, user, xp(user, 10, 10, 510, 1, "quiz.correct", base.plusSeconds(1)));
        send(EventType.ANALYSIS_COMPLETED, user, AnalysisCompleted.newBuilder().setTaskId("r-" + user).setUserId(user)
                .setStatus("COMPLETED").setVerdict("REAL").setConfidenceScore(0.2).setCompletedAt(ts(base.plusSeconds(3)))
                .build());
        send(EventType.VIDEO_UPLOADED, user, VideoUploaded.newBuilder().setTaskId("r-" + user).setUserId(user)
                .setFilename("cat.mp4").setUploadedAt(ts(base.plusSeconds(2))).build());
        send(EventType.COMMUNITY_ACTIVITY, user, activity(user, "post_created", base.plusSeconds(4)));
        Dashboard before = comparable(awaitDashboard(user, d -> d.getQuiz().getTotalAnswered() == 1
                && d.getProgress().getTotalExp() == 10 && feedSize(user) == 5
                && d.getAnalysis().getRecentList().stream().anyMatch(r -> r.getFilename().equals("cat.mp4"))));
        ActivityFeed feedBefore = dashboard(user).getActivityFeed(GetActivityFeedRequest.getDefaultInstance());
        long grantsBefore = KafkaTopics.readUntil(EventType.XP_GRANTED.topic(), Duration.ofSeconds(2), r -> false).size();

        // the read model gets corrupted
        Sql.update("UPDATE dashboard.game_progress SET total_xp = 0 WHERE user_id = '" + user + "'");
        Sql.update("DELETE FROM dashboard.activities WHERE user_id = '" + user + "'");
        Sql.update("DELETE FROM dashboard.quiz_stats WHERE user_id = '" + user + "'");
        assertNotEquals(before, comparable(dashboard(user).getDashboard(GetDashboardRequest.getDefaultInstance())));

        // only admins
        assertEquals(401, target.path("/dashboard/admin/rebuild").request().post(Entity.json("{}")).getStatus());
        assertEquals(403, target.path("/dashboard/admin/rebuild").request().header("Authorization", "Bearer " + token(user))
                .post(Entity.json("{}")).getStatus());
        String admin = TestTokens.shared().token(newUser(), "user", "admin");
        Response started = target.path("/dashboard/admin/rebuild").request().header("Authorization", "Bearer " + admin)
                .post(Entity.json("{}"));
        assertEquals(202, started.getStatus(), started.readEntity(String.class));
        // the service keeps answering while it runs
        assertEquals(user, dashboard(user).getDashboard(GetDashboardRequest.getDefaultInstance()).getUserId());
        JsonObject status = awaitRebuild(admin);
        assertEquals("SUCCEEDED", status.getString("state"), status.toString());
        assertTrue(status.getJsonNumber("events_applied").longValue() >= 6, status.toString());

        assertEquals(before, comparable(dashboard(user).getDashboard(GetDashboardRequest.getDefaultInstance())),
                "the same dashboard from the topics");
        assertEquals(feedBefore, dashboard(user).getActivityFeed(GetActivityFeedRequest.getDefaultInstance()));
        assertEquals(0, Sql.number("SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'dashboard\\_%'"),
                "no shadow schema left behind");
        // nothing granted again, and live consumption goes on into the new tables, once per event
        assertEquals(grantsBefore, KafkaTopics.readUntil(EventType.XP_GRANTED.topic(), Duration.ofSeconds(2), r -> false).size());
        publish(answerEvent);
        send(EventType.QUIZ_ANSWERED, user, answer(user, false, 0, base.plusSeconds(5)));
        Dashboard live = awaitDashboard(user, d -> d.getQuiz().getTotalAnswered() >= 2);
        assertEquals(2, live.getQuiz().getTotalAnswered());

        // a rebuild needs every event ever published: the project's broker deletes none
        assertEquals("-1", topicConfig(EventType.QUIZ_ANSWERED.topic(), "retention.ms"));
        assertEquals("-1", topicConfig(EventType.QUIZ_ANSWERED.topic(), "retention.bytes"));
    }

    private static String topicConfig(String topic, String name) throws Exception {
        var props = new java.util.Properties();
        props.put("bootstrap.servers", System.getProperty("pawfiler.kafka.bootstrap-servers"));
        try (var admin = org.apache.kafka.clients.admin.Admin.create(props)) {
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource).get(name).value();
        }
    }

    @Test
    void theCallerIsTheTokensSubjectAndEveryCallNeedsAToken() {
        String user = newUser();
        String other = newUser();
        send(EventType.USER_REGISTERED, other, UserRegistered.newBuilder().setUserId(other).setNickname("남의것")
                .setAvatarEmoji("🐯").setRegisteredAt(ts(base())).build());
        awaitDashboard(other, d -> d.getNickname().equals("남의것"));

        // an unknown user: an empty but valid dashboard
        Dashboard mine = dashboard(user).getDashboard(GetDashboardRequest.newBuilder().setUserId(other).build());
        assertEquals(user, mine.getUserId(), "another user's id from a non-admin is ignored");
        assertEquals("", mine.getNickname());
        assertEquals(0, mine.getQuiz().getTotalAnswered());
        assertEquals(0, mine.getAnalysis().getTotalAnalyses());
        assertFalse(mine.getSubscription().getPremium());
        assertFalse(mine.hasAsOf());
        assertEquals(3, mine.getDailyQuestsCount());
        mine.getDailyQuestsList().forEach(q -> assertEquals(0, q.getProgress()));
        assertEquals(0, dashboard(user).getActivityFeed(GetActivityFeedRequest.newBuilder().setUserId(other).build())
                .getActivitiesCount());

        Dashboard asAdmin = DashboardServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(GrpcClients.bearer(TestTokens.shared().token(newUser(), "user", "admin")))
                .getDashboard(GetDashboardRequest.newBuilder().setUserId(other).build());
        assertEquals(other, asAdmin.getUserId());
        assertEquals("남의것", asAdmin.getNickname());

        assertInvalid("recent_analyses_limit", () -> dashboard(user).getDashboard(GetDashboardRequest.newBuilder()
                .setRecentAnalysesLimit(21).build()));
        StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class, () -> DashboardServiceGrpc
                .newBlockingStub(channel()).getDashboard(GetDashboardRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());
        assertEquals(401, target.path("/dashboard").request().get().getStatus());
        assertEquals(401, target.path("/dashboard/activities").request().get().getStatus());
        Response limit = target.path("/dashboard").queryParam("recent_analyses_limit", "x").request()
                .header("Authorization", "Bearer " + token(user)).get();
        assertEquals(400, limit.getStatus());
        assertTrue(limit.readEntity(String.class).contains("recent_analyses_limit"));
    }

    @Test
    void restReturnsTheSameDashboardAndTheServiceIsDiscoverable() throws Exception {
        String user = newUser();
        send(EventType.USER_REGISTERED, user, UserRegistered.newBuilder().setUserId(user).setNickname("레스트")
                .setAvatarEmoji("🐼").setRegisteredAt(ts(base())).build());
        send(EventType.QUIZ_ANSWERED, user, answer(user, true, 1, base().plusSeconds(1)));
        Dashboard grpc = awaitDashboard(user, d -> d.getQuiz().getTotalAnswered() == 1 && d.getNickname().equals("레스트"));
        String json = target.path("/dashboard").queryParam("user_id", newUser()).request()
                .header("Authorization", "Bearer " + token(user)).get(String.class);
        Dashboard.Builder rest = Dashboard.newBuilder();
        JsonFormat.parser().merge(json, rest);
        assertEquals(comparable(grpc), comparable(rest.build()));
        assertTrue(json.contains("\"daily_quests\"") && json.contains("\"total_answered\":1"), json);

        String openapi = target.path("/openapi").request().accept("application/yaml").get(String.class);
        assertTrue(openapi.contains("/dashboard/activities") && openapi.contains("/dashboard/admin/rebuild"));
        assertEquals(200, target.path("/health/ready").request().get().getStatus());
        Response metrics = target.path("/metrics").request().accept("text/plain").get();
        assertEquals(200, metrics.getStatus());
        assertTrue(metrics.readEntity(String.class).contains("# TYPE"), "Prometheus text");
        var reflection = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel());
        var listed = new CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse>();
        var requests = reflection.serverReflectionInfo(GrpcClients.completing(listed));
        requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        Set<String> services = listed.orTimeout(30, TimeUnit.SECONDS).join().getListServicesResponse().getServiceList()
                .stream().map(s -> s.getName()).collect(Collectors.toSet());
        assertTrue(services.contains("dashboard.DashboardService"), services.toString());
    }

    // ---------------------------------------------------------------- helpers

    /** A start time for a test's events: shortly before now, but today in Seoul (quests and XP today count today). */
    private static Instant base() {
        Instant startOfToday = LocalDate.now(SEOUL).atStartOfDay(SEOUL).toInstant();
        Instant base = Instant.now().minusSeconds(30);
        return base.isBefore(startOfToday) ? startOfToday : base;
    }

    private static String newUser() {
        return UUID.randomUUID().toString();
    }

    private static String token(String user) {
        return TestTokens.shared().token(user, "user");
    }

    private static CloudEvent send(EventType type, String user, Message data) {
        CloudEvent event = new CloudEvent(UUID.randomUUID().toString(), "/test", type, Instant.now(), user, data);
        publish(event);
        return event;
    }

    /** Sends the event as the producers do (key: the user), e.g. again to deliver it twice. */
    private static void publish(CloudEvent event) {
        KafkaTopics.send(event.type().topic(), event.subject(), CloudEventCodec.encode(event));
    }

    private static QuizAnswered answer(String user, boolean correct, int streak, Instant at) {
        return QuizAnswered.newBuilder().setUserId(user).setQuestionId("q-" + UUID.randomUUID())
                .setAttemptId(UUID.randomUUID().toString()).setCorrect(correct).setXpEarned(correct ? 10 : 0)
                .setCoinsEarned(correct ? 5 : 0).setStreak(streak).setAnsweredAt(ts(at)).build();
    }

    private static XpEarned xp(String user, int xp, long totalXp, long totalCoins, int level, String reason, Instant at) {
        return XpEarned.newBuilder().setUserId(user).setXp(xp).setTotalXp(totalXp).setTotalCoins(totalCoins)
                .setTierName("알").setLevel(level).setReason(reason).setEarnedAt(ts(at)).build();
    }

    private static CommunityActivity activity(String user, String kind, Instant at) {
        CommunityActivity.Builder activity = CommunityActivity.newBuilder().setKind(kind).setUserId(user)
                .setPostId("post-" + UUID.randomUUID()).setPostAuthorId("someone").setPostTitle("이거 진짜?")
                .setOccurredAt(ts(at));
        if (kind.startsWith("comment")) {
            activity.setCommentId("comment-" + UUID.randomUUID());
        }
        if (kind.equals("post_voted")) {
            activity.setVote(true).setXpGranted(1);
        }
        return activity.build();
    }

    private static Instant occurred(CloudEvent event) {
        Timestamp at = event.dataAs(CommunityActivity.class).getOccurredAt();
        return Instant.ofEpochSecond(at.getSeconds(), at.getNanos());
    }

    private static Timestamp ts(Instant at) {
        // PostgreSQL keeps microseconds
        Instant micros = at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        return Timestamp.newBuilder().setSeconds(micros.getEpochSecond()).setNanos(micros.getNano()).build();
    }

    private static DailyQuest quest(Dashboard dashboard, String id) {
        return dashboard.getDailyQuestsList().stream().filter(q -> q.getId().equals(id)).findFirst().orElseThrow();
    }

    /** The dashboard without the community section, which comes from elsewhere at request time. */
    private static Dashboard comparable(Dashboard dashboard) {
        return dashboard.toBuilder().clearCommunity().clearUnavailableSections().build();
    }

    private Dashboard awaitDashboard(String user, Predicate<Dashboard> done) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        Dashboard last = null;
        while (System.nanoTime() < deadline) {
            last = dashboard(user).getDashboard(GetDashboardRequest.getDefaultInstance());
            if (done.test(last)) {
                return last;
            }
            sleep(100);
        }
        throw new AssertionError("the dashboard never got there: " + last);
    }

    private int feedSize(String user) {
        return dashboard(user).getActivityFeed(GetActivityFeedRequest.newBuilder().setPageSize(100).build())
                .getActivitiesCount();
    }

    private static List<XpGranted> awaitGrants(String user, Predicate<List<XpGranted>> done) {
        List<XpGranted> mine = new ArrayList<>();
        KafkaTopics.readUntil(EventType.XP_GRANTED.topic(), AWAIT, records -> {
            mine.clear();
            records.stream().map(r -> CloudEventCodec.decode(r.value()).dataAs(XpGranted.class))
                    .filter(g -> g.getUserId().equals(user)).forEach(mine::add);
            return done.test(mine);
        });
        // anything more that was (wrongly) published right after
        sleep(1_000);
        return KafkaTopics.readUntil(EventType.XP_GRANTED.topic(), Duration.ofSeconds(3), records -> false).stream()
                .map(r -> CloudEventCodec.decode(r.value()).dataAs(XpGranted.class))
                .filter(g -> g.getUserId().equals(user)).toList();
    }

    private JsonObject awaitRebuild(String adminToken) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonObject status = null;
        while (System.nanoTime() < deadline) {
            String body = target.path("/dashboard/admin/rebuild").request().header("Authorization", "Bearer " + adminToken)
                    .get(String.class);
            status = Json.createReader(new java.io.StringReader(body)).readObject();
            if (!status.getString("state").equals("RUNNING")) {
                return status;
            }
            sleep(200);
        }
        throw new AssertionError("the rebuild did not finish: " + status);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void assertInvalid(String field, org.junit.jupiter.api.function.Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().startsWith(field), e.getStatus().getDescription());
    }

    private ManagedChannel channel() {
        if (channel == null) {
            channel = GrpcClients.plaintext(target.getUri().getPort());
        }
        return channel;
    }

    private DashboardServiceGrpc.DashboardServiceBlockingStub dashboard(String user) {
        return DashboardServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(GrpcClients.bearer(token(user)));
    }
}
