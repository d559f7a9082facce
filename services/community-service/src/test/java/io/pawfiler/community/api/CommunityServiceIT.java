package io.pawfiler.community.api;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.helidon.microprofile.testing.junit5.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pawfiler.api.community.CheckLikeRequest;
import io.pawfiler.api.community.CommunityServiceGrpc;
import io.pawfiler.api.community.CreateAdminPostRequest;
import io.pawfiler.api.community.CreateCommentRequest;
import io.pawfiler.api.community.CreatePostRequest;
import io.pawfiler.api.community.DeleteCommentRequest;
import io.pawfiler.api.community.DeletePostRequest;
import io.pawfiler.api.community.FeedResponse;
import io.pawfiler.api.community.GetCommentsRequest;
import io.pawfiler.api.community.GetFeedRequest;
import io.pawfiler.api.community.GetHotTopicRequest;
import io.pawfiler.api.community.GetNoticesRequest;
import io.pawfiler.api.community.GetPostRequest;
import io.pawfiler.api.community.GetRankingRequest;
import io.pawfiler.api.community.GetTopDetectiveRequest;
import io.pawfiler.api.community.GetUserActivityCountsRequest;
import io.pawfiler.api.community.GetUserVoteRequest;
import io.pawfiler.api.community.GetVoteResultRequest;
import io.pawfiler.api.community.LikePostRequest;
import io.pawfiler.api.community.LikePostResponse;
import io.pawfiler.api.community.Post;
import io.pawfiler.api.community.SyncAuthorNicknameRequest;
import io.pawfiler.api.community.UnlikePostRequest;
import io.pawfiler.api.community.UpdatePostRequest;
import io.pawfiler.api.community.UserActivityCounts;
import io.pawfiler.api.community.VotePostRequest;
import io.pawfiler.api.community.VotePostResponse;
import io.pawfiler.api.community.VoteResult;
import io.pawfiler.api.events.CommunityActivity;
import io.pawfiler.api.events.UserProfileChanged;
import io.pawfiler.api.events.UserRegistered;
import io.pawfiler.api.events.XpGranted;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.CloudEventCodec;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.testing.RealInfrastructure;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.jwt.TestTokens;
import io.pawfiler.testing.kafka.KafkaTopics;
import io.pawfiler.testing.postgres.Sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** community-service over real gRPC and HTTP, with real PostgreSQL and Kafka. */
@ExtendWith(RealInfrastructure.class)
@HelidonTest
@AddConfig(key = "pawfiler.community.media.storage-dir", value = "target/it-media")
@AddConfig(key = "pawfiler.community.limits.comments", value = "4")
@AddConfig(key = "pawfiler.community.quiz.port", value = "1")
class CommunityServiceIT {

    private static final Path MEDIA_DIR = Path.of("target/it-media");
    private static ManagedChannel channel;

    @Inject
    WebTarget target;

    @AfterAll
    static void closeChannel() throws InterruptedException {
        GrpcClients.close(channel);
    }

    @Test
    void aPostWithInlineMediaIsServedBackByteIdenticalAndDeletingItRemovesEverything() throws Exception {
        String author = newUser();
        String reader = newUser();
        byte[] png = Files.readAllBytes(Path.of("src/test/resources/media/tiny.png"));

        Post post = board(author).createPost(CreatePostRequest.newBuilder().setTitle("이 사진 진짜일까요?")
                .setBody("얼굴 합성 같아 보여요").addTags(" 딥페이크 ").addTags("AI").addTags("딥페이크")
                .setFileName("photo.mp4").setFileContentType("video/mp4").setFileContent(ByteString.copyFrom(png))
                .setIsCorrect(true).build());
        assertEquals(List.of("딥페이크", "ai"), post.getTagsList(), "tags trimmed, lower-cased, deduplicated");
        assertEquals("image", post.getMediaType(), "the type comes from the bytes, not the name or content type sent");
        assertEquals(author, post.getAuthorId());

        Response media = get(post.getMediaUrl(), null);
        assertEquals(200, media.getStatus());
        assertEquals("image/png", media.getMediaType().toString());
        assertArrayEquals(png, media.readEntity(byte[].class));
        // the URL's signature is what lets an <img> tag in: without it (and without a token), no bytes
        URI unsigned = URI.create(post.getMediaUrl());
        assertEquals(401, target.path(unsigned.getPath()).request().get().getStatus());
        assertEquals(200, get(unsigned.getPath(), TestTokens.shared().token(reader, "user")).getStatus());

        String commentId = board(reader).createComment(CreateCommentRequest.newBuilder().setPostId(post.getId())
                .setBody("진짜 같아요").build()).getId();
        board(reader).likePost(LikePostRequest.newBuilder().setPostId(post.getId()).build());
        board(reader).votePost(VotePostRequest.newBuilder().setPostId(post.getId()).setVote(true).build());
        assertEquals(1, Sql.number("SELECT count(*) FROM community.media_objects WHERE storage_key = '" + storageKey(post) + "'"));

        // only the author (or an admin) deletes; then comments, likes, votes, the media row and its bytes go
        StatusRuntimeException notYours = assertThrows(StatusRuntimeException.class, () -> board(reader)
                .deletePost(DeletePostRequest.newBuilder().setPostId(post.getId()).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, notYours.getStatus().getCode());
        assertTrue(board(author).deletePost(DeletePostRequest.newBuilder().setPostId(post.getId()).build()).getSuccess());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> board(reader)
                .getPost(GetPostRequest.newBuilder().setPostId(post.getId()).build())).getStatus().getCode());
        assertEquals(0, Sql.number("SELECT count(*) FROM community.comments WHERE id = '" + commentId + "'"));
        assertEquals(0, Sql.number("SELECT count(*) FROM community.post_likes WHERE post_id = '" + post.getId() + "'"));
        assertEquals(0, Sql.number("SELECT count(*) FROM community.post_votes WHERE post_id = '" + post.getId() + "'"));
        assertEquals(0, Sql.number("SELECT count(*) FROM community.media_objects WHERE storage_key = '" + storageKey(post) + "'"));
        assertEquals(404, get(post.getMediaUrl(), null).getStatus());
        try (var files = Files.walk(MEDIA_DIR)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().equals(storageKey(post))), "bytes deleted");
        }
    }

    @Test
    void sharedMediaStaysWhileAnotherPostNamesIt() throws Exception {
        byte[] gif = Files.readAllBytes(Path.of("src/test/resources/media/tiny.gif"));
        Post first = board(newUser()).createPost(post("첫 번째", "같은 그림").setFileContent(ByteString.copyFrom(gif)).build());
        String other = newUser();
        Post second = board(other).createPost(post("두 번째", "같은 그림").setFileContent(ByteString.copyFrom(gif)).build());
        assertEquals(storageKey(first), storageKey(second), "content-addressed: one object");
        board(other).deletePost(DeletePostRequest.newBuilder().setPostId(second.getId()).build());
        Response stillThere = get(first.getMediaUrl(), null);
        assertEquals(200, stillThere.getStatus());
        assertArrayEquals(gif, stillThere.readEntity(byte[].class));
    }

    @Test
    void badInputIsRefusedWithTheFieldAndLeavesNothingBehind() {
        String writer = newUser();
        var board = board(writer);
        assertInvalid("title", () -> board.createPost(post("", "body").build()));
        assertInvalid("title", () -> board.createPost(post("x".repeat(101), "body").build()));
        assertInvalid("body", () -> board.createPost(post("title", "b".repeat(5001)).build()));
        assertInvalid("tags", () -> board.createPost(post("title", "body").addTags("t".repeat(21)).build()));
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add("tag" + i);
        }
        assertInvalid("tags", () -> board.createPost(post("title", "body").addAllTags(eleven).build()));
        assertInvalid("media_url", () -> board.createPost(post("title", "body").setMediaUrl("ftp://example.org/a.png")
                .setMediaType("image").build()));
        assertInvalid("file_content", () -> board.createPost(post("title", "body")
                .setFileContent(ByteString.copyFromUtf8("#!/bin/sh\necho not an image\n")).setFileName("a.png").build()));
        assertInvalid("page_size", () -> board.getFeed(GetFeedRequest.newBuilder().setPageSize(-1).build()));
        assertInvalid("search_type", () -> board.getFeed(GetFeedRequest.newBuilder().setSearchQuery("x")
                .setSearchType("everywhere").build()));
        assertEquals(0, Sql.number("SELECT count(*) FROM community.posts WHERE author_id = '" + writer + "'"));

        // no token: UNAUTHENTICATED
        StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class, () -> CommunityServiceGrpc
                .newBlockingStub(channel()).getFeed(GetFeedRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());
    }

    @Test
    void theFeedPagesWithTotalCountAdminPostsFirstAndSearchesTitleBodyAndTags() {
        String marker = "페이지" + UUID.randomUUID().toString().substring(0, 6);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            // five posts per writer per ten minutes: spread over writers
            ids.add(board(i % 4 == 0 ? newUser() : lastUser()).createPost(post(marker + " 제목 " + i, "본문 " + i)
                    .addTags(i % 2 == 0 ? "짝수" + marker.substring(3) : "홀수").build()).getId());
        }
        String admin = newUser();
        Post notice = admin(admin).createAdminPost(CreateAdminPostRequest.newBuilder().setTitle(marker + " 운영진 공지")
                .setBody("규칙을 지켜 주세요").addTags("공지").build());
        assertTrue(notice.getIsAdminPost());

        var reader = board(newUser());
        long total = Sql.number("SELECT count(*) FROM community.posts");
        FeedResponse first = reader.getFeed(GetFeedRequest.newBuilder().setPage(1).build());
        assertEquals(total, first.getTotalCount(), "total_count is every post");
        assertFalse(first.getTotalCountEstimated());
        assertEquals(15, first.getPostsCount(), "default page size 15");
        assertEquals(1, first.getPage());
        assertTrue(first.getPosts(0).getIsAdminPost(), "admin posts first");

        FeedResponse search = reader.getFeed(GetFeedRequest.newBuilder().setSearchQuery(marker).setPageSize(10).build());
        assertEquals(18, search.getTotalCount());
        assertFalse(search.getTotalCountEstimated(), "a rare term is counted exactly");
        assertEquals(10, search.getPostsCount());
        assertEquals(notice.getId(), search.getPosts(0).getId());
        assertEquals(ids.get(16), search.getPosts(1).getId(), "then newest first");
        FeedResponse secondPage = reader.getFeed(GetFeedRequest.newBuilder().setSearchQuery(marker).setPageSize(10)
                .setPage(2).build());
        assertEquals(8, secondPage.getPostsCount());
        assertEquals(ids.get(0), secondPage.getPosts(7).getId());
        Set<String> seen = new java.util.HashSet<>();
        search.getPostsList().forEach(p -> seen.add(p.getId()));
        secondPage.getPostsList().forEach(p -> assertTrue(seen.add(p.getId()), "pages do not overlap"));

        // body search, and "title"/"all" also match a tag exactly (case-insensitively)
        assertEquals(0, reader.getFeed(GetFeedRequest.newBuilder().setSearchQuery("본문 1")
                .setSearchType("title").build()).getPostsList().stream().filter(p -> ids.contains(p.getId())).count());
        assertTrue(reader.getFeed(GetFeedRequest.newBuilder().setSearchQuery("본문 16").setSearchType("body").build())
                .getPostsList().stream().anyMatch(p -> p.getId().equals(ids.get(16))));
        String evenTag = "짝수" + marker.substring(3);
        FeedResponse byTag = reader.getFeed(GetFeedRequest.newBuilder().setSearchQuery(evenTag.toUpperCase()).build());
        assertEquals(9, byTag.getTotalCount(), "posts 0, 2, .. 16 carry the tag");
        assertEquals(9, reader.getFeed(GetFeedRequest.newBuilder().setSearchQuery(evenTag).setSearchType("all").build())
                .getTotalCount());
        assertEquals(0, reader.getFeed(GetFeedRequest.newBuilder().setSearchQuery(evenTag).setSearchType("body").build())
                .getTotalCount(), "a body search does not look at tags");
        // a two-character term (no trigram of its own) matches at the start of a word
        String shortWriter = newUser();
        Post atStart = board(shortWriter).createPost(post("뷁뛣을 찾아서", "본문").build());
        Post afterSpace = board(shortWriter).createPost(post("오늘의 뷁뛣", "본문").build());
        Post inside = board(shortWriter).createPost(post("가뷁뛣", "본문").build());
        Post inBody = board(shortWriter).createPost(post("제목", "본문에 뷁뛣이 있다").build());
        List<String> shortTitle = reader.getFeed(GetFeedRequest.newBuilder().setSearchQuery("뷁뛣").build())
                .getPostsList().stream().map(Post::getId).toList();
        assertEquals(List.of(afterSpace.getId(), atStart.getId()), shortTitle);
        List<String> shortAll = reader.getFeed(GetFeedRequest.newBuilder().setSearchQuery("뷁뛣").setSearchType("all")
                .build()).getPostsList().stream().map(Post::getId).toList();
        assertEquals(List.of(inBody.getId(), afterSpace.getId(), atStart.getId()), shortAll);
        assertFalse(shortAll.contains(inside.getId()));

        // % and _ are literal characters in a search
        assertEquals(0, reader.getFeed(GetFeedRequest.newBuilder().setSearchQuery("%").build()).getTotalCount());

        // notices: 공지 or admin posts, newest first
        assertEquals(notice.getId(), reader.getNotices(GetNoticesRequest.getDefaultInstance()).getNotices(0).getId());
        assertFalse(reader.getHotTopic(GetHotTopicRequest.getDefaultInstance()).getTag().isBlank());
    }

    @Test
    void aCommonSearchTermGetsAnEstimatedTotalAndStillTheNewestPage() throws Exception {
        String common = "흔한" + UUID.randomUUID().toString().substring(0, 6);
        String author = newUser();
        try (Connection connection = RealInfrastructure.currentDatabase().connect();
             var statement = connection.createStatement()) {
            statement.execute("INSERT INTO community.posts (id, author_id, title, body, created_at, updated_at) "
                    + "SELECT gen_random_uuid()::text, '" + author + "', '" + common + " 제목 ' || n, '본문', "
                    + "now() - make_interval(secs => 7000 - n), now() FROM generate_series(1, 6000) n");
            statement.execute("UPDATE community.post_count_shards SET posts = posts + 6000 WHERE shard = 0");
            statement.execute("ANALYZE community.posts");
        }
        FeedResponse page = board(newUser()).getFeed(GetFeedRequest.newBuilder().setSearchQuery(common).build());
        assertTrue(page.getTotalCountEstimated(), "counting 6000 matches per page is what the estimate avoids");
        assertTrue(page.getTotalCount() > 3000 && page.getTotalCount() < 12000, "estimate " + page.getTotalCount());
        assertEquals(15, page.getPostsCount());
        assertEquals(common + " 제목 6000", page.getPosts(0).getTitle(), "newest first");
        assertEquals(common + " 제목 5986", page.getPosts(14).getTitle());
    }

    @Test
    void onlyTheAuthorOrAnAdminEditsAndAdminPostsNeedAnAdmin() {
        String author = newUser();
        Post post = board(author).createPost(post("원래 제목", "원래 본문").build());
        UpdatePostRequest edit = UpdatePostRequest.newBuilder().setPostId(post.getId()).setTitle("새 제목")
                .setBody("새 본문").addTags("수정").build();
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> board(newUser()).updatePost(edit));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        // a non-admin's user_id naming the author changes nothing
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class, () -> board(newUser())
                .updatePost(edit.toBuilder().setUserId(author).build())).getStatus().getCode());

        Post edited = board(author).updatePost(edit);
        assertEquals("새 제목", edited.getTitle());
        assertEquals(List.of("수정"), edited.getTagsList());
        Post byAdmin = admin(newUser()).updatePost(edit.toBuilder().setTitle("운영진이 고침").build());
        assertEquals("운영진이 고침", byAdmin.getTitle());
        assertEquals(author, byAdmin.getAuthorId());

        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class, () -> board(author)
                .createAdminPost(CreateAdminPostRequest.newBuilder().setTitle("t").setBody("b").build()))
                .getStatus().getCode());
        assertFalse(board(author).createPost(post("관리자인 척", "본문").setIsAdminPost(true).build()).getIsAdminPost(),
                "is_admin_post counts for admins only");
        assertTrue(admin(newUser()).deletePost(DeletePostRequest.newBuilder().setPostId(post.getId()).build()).getSuccess());
    }

    @Test
    void commentsAreFlatOldestFirstCountedAndDeletedByTheirAuthorOrAnAdmin() {
        Post post = board(newUser()).createPost(post("댓글 달아 주세요", "본문").build());
        String first = newUser();
        String second = newUser();
        var c1 = board(first).createComment(CreateCommentRequest.newBuilder().setPostId(post.getId()).setBody("첫 댓글").build());
        var c2 = board(second).createComment(CreateCommentRequest.newBuilder().setPostId(post.getId()).setBody("둘째").build());
        var listed = board(newUser()).getComments(GetCommentsRequest.newBuilder().setPostId(post.getId()).build());
        assertEquals(List.of(c1.getId(), c2.getId()), listed.getCommentsList().stream().map(c -> c.getId()).toList());
        assertEquals(2, board(first).getPost(GetPostRequest.newBuilder().setPostId(post.getId()).build()).getComments());

        assertInvalid("body", () -> board(first).createComment(CreateCommentRequest.newBuilder()
                .setPostId(post.getId()).setBody("c".repeat(1001)).build()));
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> board(first).createComment(
                CreateCommentRequest.newBuilder().setPostId(UUID.randomUUID().toString()).setBody("x").build()))
                .getStatus().getCode());
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class, () -> board(second)
                .deleteComment(DeleteCommentRequest.newBuilder().setCommentId(c1.getId()).build())).getStatus().getCode());
        board(first).deleteComment(DeleteCommentRequest.newBuilder().setCommentId(c1.getId()).build());
        admin(newUser()).deleteComment(DeleteCommentRequest.newBuilder().setCommentId(c2.getId()).build());
        assertEquals(0, board(first).getPost(GetPostRequest.newBuilder().setPostId(post.getId()).build()).getComments());

        // abuse limit (4 per window in this test): the 5th is RESOURCE_EXHAUSTED naming the field, with a retry time
        String chatty = newUser();
        for (int i = 0; i < 4; i++) {
            board(chatty).createComment(CreateCommentRequest.newBuilder().setPostId(post.getId()).setBody("도배 " + i).build());
        }
        StatusRuntimeException limited = assertThrows(StatusRuntimeException.class, () -> board(chatty).createComment(
                CreateCommentRequest.newBuilder().setPostId(post.getId()).setBody("하나 더").build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, limited.getStatus().getCode());
        assertTrue(limited.getStatus().getDescription().startsWith("body"), limited.getStatus().getDescription());
        assertTrue(limited.getStatus().getDescription().contains("try again in"), limited.getStatus().getDescription());
    }

    @Test
    void fiftyConcurrentLikesCountFiftyAndRepeatsChangeNothing() throws Exception {
        String author = newUser();
        Post post = board(author).createPost(post("좋아요 눌러 주세요", "본문").build());
        List<String> likers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            likers.add(newUser());
        }
        ExecutorService pool = Executors.newFixedThreadPool(25);
        try {
            List<Callable<LikePostResponse>> likes = likers.stream().<Callable<LikePostResponse>>map(liker -> () ->
                    board(liker).likePost(LikePostRequest.newBuilder().setPostId(post.getId()).build())).toList();
            for (Future<LikePostResponse> like : pool.invokeAll(likes)) {
                assertFalse(like.get().getAlreadyLiked());
            }
            // each liker again, concurrently: all already liked, still 50
            for (Future<LikePostResponse> like : pool.invokeAll(likes)) {
                assertTrue(like.get().getAlreadyLiked());
                assertEquals(50, like.get().getTotalLikes());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(50, board(author).getPost(GetPostRequest.newBuilder().setPostId(post.getId()).build()).getLikes());
        assertEquals(50, Sql.number("SELECT count(*) FROM community.post_likes WHERE post_id = '" + post.getId() + "'"));

        String liker = likers.get(0);
        assertTrue(board(liker).checkLike(CheckLikeRequest.newBuilder().setPostId(post.getId()).build()).getLiked());
        assertEquals(49, board(liker).unlikePost(UnlikePostRequest.newBuilder().setPostId(post.getId()).build()).getTotalLikes());
        assertEquals(49, board(liker).unlikePost(UnlikePostRequest.newBuilder().setPostId(post.getId()).build()).getTotalLikes());
        assertFalse(board(liker).checkLike(CheckLikeRequest.newBuilder().setPostId(post.getId()).build()).getLiked());

        UserActivityCounts counts = board(author).getUserActivityCounts(GetUserActivityCountsRequest.getDefaultInstance());
        assertEquals(49, counts.getLikesReceived());
        assertEquals(1, counts.getPosts());
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class, () -> board(liker)
                .getUserActivityCounts(GetUserActivityCountsRequest.newBuilder().setUserId(author).build()))
                .getStatus().getCode());
        assertEquals(1, board(likers.get(1)).getUserActivityCounts(GetUserActivityCountsRequest.getDefaultInstance())
                .getLikesGiven());
        assertTrue(board(newUser()).getTopDetective(GetTopDetectiveRequest.getDefaultInstance()).getTotalLikes() >= 49);
    }

    @Test
    void aReaderVotesOnceTalliesStayHiddenUntilThenAndTheFirstVoteGrantsXpOnce() {
        String author = newUser();
        Post post = board(author).createPost(post("진짜일까 가짜일까", "맞혀 보세요").setIsCorrect(false)
                .setMediaUrl("https://media.example.org/clip.mp4").setMediaType("video").build());
        assertTrue(post.getVotesRevealed(), "the author sees the answer");
        assertFalse(post.getIsCorrect());

        String reader = newUser();
        Post unseen = board(reader).getPost(GetPostRequest.newBuilder().setPostId(post.getId()).build());
        assertFalse(unseen.getVotesRevealed());
        assertFalse(unseen.hasIsCorrect(), "no answer before voting");
        VoteResult hidden = board(reader).getVoteResult(GetVoteResultRequest.newBuilder().setPostId(post.getId()).build());
        assertFalse(hidden.getRevealed());

        board(newUser()).votePost(VotePostRequest.newBuilder().setPostId(post.getId()).setVote(false).build());
        VotePostResponse first = board(reader).votePost(VotePostRequest.newBuilder().setPostId(post.getId()).setVote(true).build());
        assertFalse(first.getAlreadyVoted());
        assertEquals(1, first.getXpEarned());
        VotePostResponse again = board(reader).votePost(VotePostRequest.newBuilder().setPostId(post.getId()).setVote(false).build());
        assertTrue(again.getAlreadyVoted());
        assertEquals(0, again.getXpEarned());

        VoteResult tally = board(reader).getVoteResult(GetVoteResultRequest.newBuilder().setPostId(post.getId()).build());
        assertTrue(tally.getRevealed());
        assertEquals(1, tally.getTrueVotes());
        assertEquals(1, tally.getFalseVotes());
        assertEquals(2, tally.getCount());
        assertFalse(tally.getIsCorrect());
        var mine = board(reader).getUserVote(GetUserVoteRequest.newBuilder().setPostId(post.getId()).build());
        assertTrue(mine.getVoted());
        assertTrue(mine.getVote(), "the first vote stands");
        assertEquals(Status.Code.FAILED_PRECONDITION, assertThrows(StatusRuntimeException.class, () -> board(author)
                .votePost(VotePostRequest.newBuilder().setPostId(post.getId()).setVote(true).build())).getStatus().getCode());

        // one xp.granted for this reader and post, with the grant id quiz-service credits once
        String grantId = "community.vote:" + post.getId() + ":" + reader;
        List<KafkaTopics.Record> grants = KafkaTopics.readUntil(EventType.XP_GRANTED.topic(), Duration.ofSeconds(30),
                records -> records.stream().anyMatch(r -> grantOf(r).getGrantId().equals(grantId)));
        List<XpGranted> mineGranted = grants.stream().map(CommunityServiceIT::grantOf)
                .filter(g -> g.getGrantId().equals(grantId)).toList();
        assertEquals(1, mineGranted.size());
        assertEquals(reader, mineGranted.get(0).getUserId());
        assertEquals(1, mineGranted.get(0).getXp());
        assertEquals("community.vote", mineGranted.get(0).getReason());
        List<KafkaTopics.Record> activity = KafkaTopics.readUntil(EventType.COMMUNITY_ACTIVITY.topic(),
                Duration.ofSeconds(30), records -> records.stream().anyMatch(r -> r.key().equals(reader)));
        CommunityActivity voted = activity.stream().filter(r -> r.key().equals(reader))
                .map(r -> CloudEventCodec.decode(r.value()).dataAs(CommunityActivity.class)).findFirst().orElseThrow();
        assertEquals("post_voted", voted.getKind());
        assertFalse(voted.getVoteCorrect(), "voted real on a fake");
        assertEquals(1, board(reader).getUserActivityCounts(GetUserActivityCountsRequest.getDefaultInstance()).getVotesCast());
    }

    @Test
    void authorCardsFollowRegistrationAndProfileChangesNewestFirst() throws Exception {
        String author = newUser();
        Instant registeredAt = Instant.now().minusSeconds(60);
        send(EventType.USER_REGISTERED, author, UserRegistered.newBuilder().setUserId(author).setNickname("처음이름")
                .setAvatarEmoji("🐶").setRegisteredAt(timestamp(registeredAt)).build());
        Post post = board(author).createPost(post("카드 확인", "본문").build());
        awaitNickname(post.getId(), "처음이름");

        send(EventType.USER_PROFILE_CHANGED, author, UserProfileChanged.newBuilder().setUserId(author).setNickname("새이름")
                .setAvatarEmoji("🦊").setChangedAt(timestamp(registeredAt.plusSeconds(30))).build());
        awaitNickname(post.getId(), "새이름");
        // a late, older change does not bring the old name back, nor does a replayed registration
        send(EventType.USER_PROFILE_CHANGED, author, UserProfileChanged.newBuilder().setUserId(author).setNickname("옛이름")
                .setAvatarEmoji("🐱").setChangedAt(timestamp(registeredAt.plusSeconds(10))).build());
        send(EventType.USER_REGISTERED, author, UserRegistered.newBuilder().setUserId(author).setNickname("처음이름")
                .setAvatarEmoji("🐶").setRegisteredAt(timestamp(registeredAt)).build());
        // each topic is read in order: a card sent after the stale events on each topic shows they were applied
        String changedMarker = newUser();
        send(EventType.USER_PROFILE_CHANGED, changedMarker, UserProfileChanged.newBuilder().setUserId(changedMarker)
                .setNickname("표시").setAvatarEmoji("🐾").setChangedAt(timestamp(Instant.now())).build());
        String registeredMarker = newUser();
        send(EventType.USER_REGISTERED, registeredMarker, UserRegistered.newBuilder().setUserId(registeredMarker)
                .setNickname("표시").setAvatarEmoji("🐾").setRegisteredAt(timestamp(Instant.now())).build());
        awaitCard(changedMarker);
        awaitCard(registeredMarker);
        Post after = board(author).getPost(GetPostRequest.newBuilder().setPostId(post.getId()).build());
        assertEquals("새이름", after.getAuthorNickname());
        assertEquals("🦊", after.getAuthorEmoji());

        // the request's author fields never count; SyncAuthorNickname is an admin repair
        Post spoofed = board(author).createPost(post("사칭", "본문").setAuthorNickname("운영자").setAuthorEmoji("👑").build());
        assertEquals("새이름", spoofed.getAuthorNickname());
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class, () -> board(author)
                .syncAuthorNickname(SyncAuthorNicknameRequest.newBuilder().setUserId(author).setNickname("x").build()))
                .getStatus().getCode());
        admin(newUser()).syncAuthorNickname(SyncAuthorNicknameRequest.newBuilder().setUserId(author).setNickname("고친이름")
                .setAvatarEmoji("🐻").build());
        assertEquals("고친이름", board(author).getPost(GetPostRequest.newBuilder().setPostId(post.getId()).build())
                .getAuthorNickname());
    }

    @Test
    void theRankingIsUnavailableWhileQuizServiceIsDownAndTheServiceIsDiscoverable() {
        // quiz-service is pointed at port 1 here: no good answer yet, so UNAVAILABLE, quickly
        long started = System.nanoTime();
        StatusRuntimeException down = assertThrows(StatusRuntimeException.class, () -> board(newUser())
                .getRanking(GetRankingRequest.newBuilder().setSortBy("tier").build()));
        assertEquals(Status.Code.UNAVAILABLE, down.getStatus().getCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 5);

        String openapi = target.path("/openapi").request().accept("application/yaml").get(String.class);
        assertTrue(openapi.contains("/media/{key}"), "OpenAPI documents the media endpoint");
        var reflection = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel());
        var listed = new java.util.concurrent.CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse>();
        var requests = reflection.serverReflectionInfo(GrpcClients.completing(listed));
        requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        Set<String> services = listed.orTimeout(30, TimeUnit.SECONDS).join().getListServicesResponse().getServiceList()
                .stream().map(s -> s.getName()).collect(Collectors.toSet());
        assertTrue(services.contains("community.CommunityService"), services.toString());
    }

    // ---------------------------------------------------------------- helpers

    private static String lastUser;

    private static String newUser() {
        lastUser = UUID.randomUUID().toString();
        return lastUser;
    }

    private static String lastUser() {
        return lastUser;
    }

    private static CreatePostRequest.Builder post(String title, String body) {
        return CreatePostRequest.newBuilder().setTitle(title).setBody(body);
    }

    private static String storageKey(Post post) {
        String path = URI.create(post.getMediaUrl()).getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private Response get(String url, String token) {
        URI uri = URI.create(url);
        WebTarget media = target.path(uri.getPath());
        if (uri.getQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                media = media.queryParam(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        var request = media.request();
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        return request.get();
    }

    private void awaitNickname(String postId, String nickname) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            seen = board(newUser()).getPost(GetPostRequest.newBuilder().setPostId(postId).build()).getAuthorNickname();
            if (seen.equals(nickname)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nickname stayed " + seen + ", expected " + nickname);
    }

    private static void awaitCard(String userId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Sql.number("SELECT count(*) FROM community.author_cards WHERE user_id = '" + userId + "'") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no card for " + userId);
            }
            Thread.sleep(100);
        }
    }

    private static void send(EventType type, String userId, com.google.protobuf.Message data) {
        CloudEvent event = new CloudEvent(UUID.randomUUID().toString(), "/auth-service", type, Instant.now(), userId, data);
        // one partition key for all card events of this test, so they apply in the order sent
        KafkaTopics.send(type.topic(), "author-cards", CloudEventCodec.encode(event));
    }

    private static XpGranted grantOf(KafkaTopics.Record record) {
        return CloudEventCodec.decode(record.value()).dataAs(XpGranted.class);
    }

    private static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
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

    private CommunityServiceGrpc.CommunityServiceBlockingStub board(String userId) {
        return CommunityServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(60, TimeUnit.SECONDS)
                .withInterceptors(GrpcClients.bearer(TestTokens.shared().token(userId, "user")));
    }

    private CommunityServiceGrpc.CommunityServiceBlockingStub admin(String userId) {
        return CommunityServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(60, TimeUnit.SECONDS)
                .withInterceptors(GrpcClients.bearer(TestTokens.shared().token(userId, "user", "admin")));
    }
}
