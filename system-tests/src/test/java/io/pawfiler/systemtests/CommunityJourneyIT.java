package io.pawfiler.systemtests;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.grpc.ManagedChannel;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pawfiler.api.auth.AuthServiceGrpc;
import io.pawfiler.api.auth.UpdateProfileRequest;
import io.pawfiler.api.community.CommunityServiceGrpc;
import io.pawfiler.api.community.CreatePostRequest;
import io.pawfiler.api.community.GetPostRequest;
import io.pawfiler.api.community.GetRankingRequest;
import io.pawfiler.api.community.Post;
import io.pawfiler.api.community.VotePostRequest;
import io.pawfiler.api.quiz.GetUserProfileRequest;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.localstack.ServiceProcess;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.kafka.KafkaTopics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * auth-, quiz- and community-service side by side: author cards come from auth's events, a reader's first vote
 * earns +1 XP in their quiz profile exactly once (even when xp.granted is delivered again), a nickname change at
 * auth shows on the author's posts, and the ranking survives quiz-service going away.
 */
@UsesSharedStack
@org.junit.jupiter.api.Order(5)
class CommunityJourneyIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static ServiceProcess auth;
    private static ServiceProcess quiz;
    private static ServiceProcess community;
    private static ManagedChannel authChannel;
    private static ManagedChannel quizChannel;
    private static ManagedChannel communityChannel;

    @BeforeAll
    static void connect() throws Exception {
        EdgeStack stack = EdgeStack.shared();
        auth = stack.service("auth-service");
        quiz = stack.service("quiz-service");
        community = stack.service("community-service");
        authChannel = GrpcClients.plaintext(auth.port());
        quizChannel = GrpcClients.plaintext(quiz.port());
        communityChannel = GrpcClients.plaintext(community.port());
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        GrpcClients.close(authChannel);
        GrpcClients.close(quizChannel);
        GrpcClients.close(communityChannel);
    }

    @Test
    void votesEarnXpOnceRenamesReachPostsAndTheRankingOutlivesQuiz() throws Exception {
        Account author = signUp("글쓴이");
        Account voter = signUp("투표자");
        var authorBoard = community(author.token());
        var voterBoard = community(voter.token());
        var voterGame = QuizServiceGrpc.newBlockingStub(quizChannel).withInterceptors(GrpcClients.bearer(voter.token()))
                .withDeadlineAfter(60, TimeUnit.SECONDS);

        // the author card travels auth → user.registered → community
        Post post = authorBoard.createPost(CreatePostRequest.newBuilder().setTitle("진짜일까요?").setBody("맞혀 보세요")
                .setMediaUrl("https://media.example.org/face.mp4").setMediaType("video").setIsCorrect(false).build());
        await("the author's card", () -> authorBoard.getPost(get(post)).getAuthorNickname().equals("글쓴이"));
        await("the voter's quiz profile", () -> voterGame.getUserProfile(GetUserProfileRequest.getDefaultInstance())
                .hasNickname());
        int xpBefore = voterGame.getUserProfile(GetUserProfileRequest.getDefaultInstance()).getTotalExp();

        assertEquals(1, voterBoard.votePost(VotePostRequest.newBuilder().setPostId(post.getId()).setVote(false).build())
                .getXpEarned());
        assertTrue(voterBoard.votePost(VotePostRequest.newBuilder().setPostId(post.getId()).setVote(true).build())
                .getAlreadyVoted());
        await("+1 XP in quiz", () -> voterGame.getUserProfile(GetUserProfileRequest.getDefaultInstance())
                .getTotalExp() == xpBefore + 1);

        // the grant delivered again (same event) and re-published (new event id, same grant id): still +1; a later,
        // different grant for the same user (same partition, so applied after them) shows they were consumed
        String grantId = "community.vote:" + post.getId() + ":" + voter.id();
        KafkaTopics.Record original = KafkaTopics.readUntil("xp.granted", Duration.ofSeconds(30),
                        records -> records.stream().anyMatch(r -> grantIdOf(r).equals(grantId)))
                .stream().filter(r -> grantIdOf(r).equals(grantId)).findFirst().orElseThrow();
        KafkaTopics.send("xp.granted", original.key(), original.value());
        KafkaTopics.send("xp.granted", voter.id(), CloudEvents.republished(original.value()));
        KafkaTopics.send("xp.granted", voter.id(), CloudEvents.with(original.value(), Map.of(
                "grantId", Json.createValue("journey-marker:" + voter.id()), "xp", Json.createValue(2),
                "reason", Json.createValue("test.marker"))));
        await("the marker grant", () -> voterGame.getUserProfile(GetUserProfileRequest.getDefaultInstance())
                .getTotalExp() >= xpBefore + 3);
        assertEquals(xpBefore + 3, voterGame.getUserProfile(GetUserProfileRequest.getDefaultInstance()).getTotalExp(),
                "the vote's XP was credited once");

        // a nickname change at auth reaches the author's posts (user.profile-changed)
        AuthServiceGrpc.newBlockingStub(authChannel).withInterceptors(GrpcClients.bearer(author.token()))
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .updateProfile(UpdateProfileRequest.newBuilder().setNickname("새글쓴이").setAvatarEmoji("🦊").build());
        await("the renamed author", () -> authorBoard.getPost(get(post)).getAuthorNickname().equals("새글쓴이"));
        assertEquals("🦊", voterBoard.getPost(get(post)).getAuthorEmoji());

        // the ranking is quiz's; once quiz is gone the last good one is served, quickly
        List<io.pawfiler.api.community.RankingEntry> ranking = voterBoard.getRanking(GetRankingRequest.newBuilder()
                .setSortBy("tier").build()).getEntriesList();
        assertFalse(ranking.isEmpty());
        // the shared stack starts it again for the next class that needs it
        quiz.close();
        quiz = null;
        long started = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            assertEquals(ranking, voterBoard.getRanking(GetRankingRequest.newBuilder().setSortBy("tier").build())
                    .getEntriesList());
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 15, "fallback answers quickly");
    }

    private record Account(String id, String token) {
    }

    private static Account signUp(String nickname) throws Exception {
        JsonObject body = Json.createObjectBuilder()
                .add("email", "journey." + UUID.randomUUID().toString().substring(0, 8) + "@pawfiler.test")
                .add("password", "password-123").add("nickname", nickname).add("avatar_emoji", "🐾").build();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(auth.baseUrl() + "/auth/signup"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, response.body());
        JsonObject signedUp = Json.createReader(new StringReader(response.body())).readObject();
        return new Account(signedUp.getJsonObject("user").getString("id"), signedUp.getString("token"));
    }

    private static CommunityServiceGrpc.CommunityServiceBlockingStub community(String token) {
        return CommunityServiceGrpc.newBlockingStub(communityChannel).withInterceptors(GrpcClients.bearer(token))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static GetPostRequest get(Post post) {
        return GetPostRequest.newBuilder().setPostId(post.getId()).build();
    }

    private static String grantIdOf(KafkaTopics.Record record) {
        return CloudEvents.data(record.value()).getString("grantId", "");
    }

    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
