package io.pawfiler.community.api;

import java.util.Optional;

import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import io.pawfiler.api.community.CheckLikeRequest;
import io.pawfiler.api.community.CheckLikeResponse;
import io.pawfiler.api.community.CommentsResponse;
import io.pawfiler.api.community.CommunityServiceGrpc;
import io.pawfiler.api.community.CreateAdminPostRequest;
import io.pawfiler.api.community.CreateCommentRequest;
import io.pawfiler.api.community.CreatePostRequest;
import io.pawfiler.api.community.DeleteCommentRequest;
import io.pawfiler.api.community.DeleteCommentResponse;
import io.pawfiler.api.community.DeletePostRequest;
import io.pawfiler.api.community.DeletePostResponse;
import io.pawfiler.api.community.FeedResponse;
import io.pawfiler.api.community.GetCommentsRequest;
import io.pawfiler.api.community.GetFeedRequest;
import io.pawfiler.api.community.GetHotTopicRequest;
import io.pawfiler.api.community.GetNoticesRequest;
import io.pawfiler.api.community.GetPostRequest;
import io.pawfiler.api.community.GetRankingRequest;
import io.pawfiler.api.community.GetRankingResponse;
import io.pawfiler.api.community.GetTopDetectiveRequest;
import io.pawfiler.api.community.GetUserActivityCountsRequest;
import io.pawfiler.api.community.GetUserVoteRequest;
import io.pawfiler.api.community.GetUserVoteResponse;
import io.pawfiler.api.community.GetVoteResultRequest;
import io.pawfiler.api.community.HotTopicResponse;
import io.pawfiler.api.community.LikePostRequest;
import io.pawfiler.api.community.LikePostResponse;
import io.pawfiler.api.community.Notice;
import io.pawfiler.api.community.NoticesResponse;
import io.pawfiler.api.community.Post;
import io.pawfiler.api.community.SyncAuthorNicknameRequest;
import io.pawfiler.api.community.SyncAuthorNicknameResponse;
import io.pawfiler.api.community.TopDetectiveResponse;
import io.pawfiler.api.community.UnlikePostRequest;
import io.pawfiler.api.community.UnlikePostResponse;
import io.pawfiler.api.community.UpdatePostRequest;
import io.pawfiler.api.community.UserActivityCounts;
import io.pawfiler.api.community.VotePostRequest;
import io.pawfiler.api.community.VotePostResponse;
import io.pawfiler.api.community.VoteResult;
import io.pawfiler.community.domain.FeedQuery;
import io.pawfiler.community.service.AuthorCards;
import io.pawfiler.community.service.Comments;
import io.pawfiler.community.service.MediaAttachments;
import io.pawfiler.community.service.Posts;
import io.pawfiler.community.service.Reactions;
import io.pawfiler.community.service.SidePanel;
import io.pawfiler.community.store.CommunityStore;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.security.Caller;
import io.pawfiler.platform.security.CallerContext;

/**
 * {@code community.CommunityService}. The caller is the token's subject: a {@code user_id} in a request counts only
 * when an admin sends it, and author nicknames and emoji come from the service's author cards, never the request.
 */
@Dependent
public class CommunityGrpcService extends CommunityServiceGrpc.CommunityServiceImplBase {

    @Inject
    Posts posts;

    @Inject
    Comments comments;

    @Inject
    Reactions reactions;

    @Inject
    SidePanel sidePanel;

    @Inject
    AuthorCards authorCards;

    @Inject
    CallerContext callers;

    @Override
    public void getFeed(GetFeedRequest request, StreamObserver<FeedResponse> response) {
        Caller caller = callers.require();
        Posts.FeedPage page = posts.feed(caller, FeedQuery.of(request.getPage(), request.getPageSize(),
                request.getSearchQuery(), request.getSearchType()));
        FeedResponse.Builder out = FeedResponse.newBuilder().setPage(page.page())
                .setTotalCount(CommunityMapping.saturated(page.totalCount())).setTotalCountEstimated(page.totalEstimated());
        page.posts().forEach(view -> out.addPosts(CommunityMapping.post(view)));
        reply(response, out.build());
    }

    @Override
    public void getPost(GetPostRequest request, StreamObserver<Post> response) {
        reply(response, CommunityMapping.post(posts.get(callers.require(), request.getPostId())));
    }

    @Override
    public void createPost(CreatePostRequest request, StreamObserver<Post> response) {
        Caller caller = acting(request.getUserId());
        reply(response, CommunityMapping.post(posts.create(caller, new Posts.Draft(request.getTitle(), request.getBody(),
                request.getTagsList(), new MediaAttachments.Request(request.getMediaUrl(), request.getMediaType(),
                request.getFileName(), request.getFileContent().toByteArray(), request.getFileContentType()),
                request.getIsAdminPost(), request.hasIsCorrect() ? Optional.of(request.getIsCorrect()) : Optional.empty()))));
    }

    @Override
    public void createAdminPost(CreateAdminPostRequest request, StreamObserver<Post> response) {
        Caller caller = callers.require();
        if (!caller.isAdmin()) {
            throw ApiException.permissionDenied("CreateAdminPost is for admins");
        }
        reply(response, CommunityMapping.post(posts.create(caller, new Posts.Draft(request.getTitle(), request.getBody(),
                request.getTagsList(), new MediaAttachments.Request(null, null, null, null, null), true,
                request.hasIsCorrect() ? Optional.of(request.getIsCorrect()) : Optional.empty()))));
    }

    @Override
    public void updatePost(UpdatePostRequest request, StreamObserver<Post> response) {
        reply(response, CommunityMapping.post(posts.update(acting(request.getUserId()), request.getPostId(),
                request.getTitle(), request.getBody(), request.getTagsList())));
    }

    @Override
    public void deletePost(DeletePostRequest request, StreamObserver<DeletePostResponse> response) {
        posts.delete(acting(request.getUserId()), request.getPostId());
        reply(response, DeletePostResponse.newBuilder().setSuccess(true).build());
    }

    @Override
    public void getComments(GetCommentsRequest request, StreamObserver<CommentsResponse> response) {
        callers.require();
        CommentsResponse.Builder out = CommentsResponse.newBuilder();
        comments.of(request.getPostId()).forEach(c -> out.addComments(CommunityMapping.comment(c)));
        reply(response, out.build());
    }

    @Override
    public void createComment(CreateCommentRequest request, StreamObserver<io.pawfiler.api.community.Comment> response) {
        reply(response, CommunityMapping.comment(comments.create(acting(request.getUserId()), request.getPostId(),
                request.getBody())));
    }

    @Override
    public void deleteComment(DeleteCommentRequest request, StreamObserver<DeleteCommentResponse> response) {
        comments.delete(acting(request.getUserId()), request.getCommentId());
        reply(response, DeleteCommentResponse.newBuilder().setSuccess(true).build());
    }

    @Override
    public void likePost(LikePostRequest request, StreamObserver<LikePostResponse> response) {
        Reactions.LikeResult like = reactions.like(acting(request.getUserId()), request.getPostId());
        reply(response, LikePostResponse.newBuilder().setSuccess(true).setAlreadyLiked(like.alreadyLiked())
                .setTotalLikes(like.totalLikes()).build());
    }

    @Override
    public void unlikePost(UnlikePostRequest request, StreamObserver<UnlikePostResponse> response) {
        Reactions.LikeResult like = reactions.unlike(acting(request.getUserId()), request.getPostId());
        reply(response, UnlikePostResponse.newBuilder().setSuccess(true).setTotalLikes(like.totalLikes()).build());
    }

    @Override
    public void checkLike(CheckLikeRequest request, StreamObserver<CheckLikeResponse> response) {
        reply(response, CheckLikeResponse.newBuilder()
                .setLiked(reactions.liked(acting(request.getUserId()), request.getPostId())).build());
    }

    @Override
    public void votePost(VotePostRequest request, StreamObserver<VotePostResponse> response) {
        Reactions.VoteResult vote = reactions.vote(acting(request.getUserId()), request.getPostId(), request.getVote());
        reply(response, VotePostResponse.newBuilder().setSuccess(true).setAlreadyVoted(vote.alreadyVoted())
                .setXpEarned(vote.xpEarned()).build());
    }

    @Override
    public void getVoteResult(GetVoteResultRequest request, StreamObserver<VoteResult> response) {
        Reactions.Tally tally = reactions.tally(callers.require(), request.getPostId());
        VoteResult.Builder out = VoteResult.newBuilder().setPostId(tally.postId()).setTrueVotes(tally.trueVotes())
                .setFalseVotes(tally.falseVotes()).setCount(tally.trueVotes() + tally.falseVotes())
                .setRevealed(tally.revealed());
        tally.isCorrect().ifPresent(out::setIsCorrect);
        reply(response, out.build());
    }

    @Override
    public void getUserVote(GetUserVoteRequest request, StreamObserver<GetUserVoteResponse> response) {
        Optional<Boolean> vote = reactions.voteOf(acting(request.getUserId()), request.getPostId());
        reply(response, GetUserVoteResponse.newBuilder().setVoted(vote.isPresent()).setVote(vote.orElse(false)).build());
    }

    @Override
    public void syncAuthorNickname(SyncAuthorNicknameRequest request, StreamObserver<SyncAuthorNicknameResponse> response) {
        authorCards.repair(callers.require(), request.getUserId(), request.getNickname(), request.getAvatarEmoji());
        reply(response, SyncAuthorNicknameResponse.newBuilder().setSuccess(true).build());
    }

    @Override
    public void getRanking(GetRankingRequest request, StreamObserver<GetRankingResponse> response) {
        callers.require();
        String token = callers.bearerToken().orElseThrow(() -> ApiException.unauthenticated("a bearer token is required"));
        reply(response, GetRankingResponse.newBuilder()
                .addAllEntries(sidePanel.ranking(request.getSortBy(), token)).build());
    }

    @Override
    public void getHotTopic(GetHotTopicRequest request, StreamObserver<HotTopicResponse> response) {
        callers.require();
        SidePanel.HotTopic topic = sidePanel.hotTopic();
        reply(response, HotTopicResponse.newBuilder().setTag(topic.tag())
                .setCount(CommunityMapping.saturated(topic.count())).build());
    }

    @Override
    public void getNotices(GetNoticesRequest request, StreamObserver<NoticesResponse> response) {
        callers.require();
        NoticesResponse.Builder out = NoticesResponse.newBuilder();
        for (CommunityStore.PostRow notice : sidePanel.notices()) {
            out.addNotices(Notice.newBuilder().setId(notice.id()).setTitle(notice.title()).setBody(notice.body())
                    .setCreatedAt(CommunityMapping.rfc3339(notice.createdAt())).setAuthorNickname(notice.nickname()));
        }
        reply(response, out.build());
    }

    @Override
    public void getTopDetective(GetTopDetectiveRequest request, StreamObserver<TopDetectiveResponse> response) {
        callers.require();
        // The original's answer when nobody received a like yet.
        TopDetectiveResponse out = sidePanel.topDetective().map(top -> TopDetectiveResponse.newBuilder()
                        .setAuthorNickname(top.card().nickname()).setAuthorEmoji(top.card().avatarEmoji())
                        .setCount(CommunityMapping.saturated(top.posts()))
                        .setTotalLikes(CommunityMapping.saturated(top.likesReceived())).build())
                .orElse(TopDetectiveResponse.newBuilder().setAuthorNickname("아직 없음").setAuthorEmoji("🏆").build());
        reply(response, out);
    }

    @Override
    public void getUserActivityCounts(GetUserActivityCountsRequest request, StreamObserver<UserActivityCounts> response) {
        Caller caller = callers.require();
        String userId = request.getUserId().isBlank() ? caller.userId() : request.getUserId();
        CommunityStore.ActivityCounts counts = sidePanel.activityCounts(caller, userId);
        reply(response, UserActivityCounts.newBuilder().setUserId(userId)
                .setPosts(CommunityMapping.saturated(counts.posts()))
                .setComments(CommunityMapping.saturated(counts.comments()))
                .setLikesReceived(CommunityMapping.saturated(counts.likesReceived()))
                .setLikesGiven(CommunityMapping.saturated(counts.likesGiven()))
                .setVotesCast(CommunityMapping.saturated(counts.votesCast()))
                .setVotesCorrect(CommunityMapping.saturated(counts.votesCorrect()))
                .build());
    }

    /**
     * The caller, or for an admin naming another user, that user with the admin's roles (so an admin may edit or
     * delete anyone's post). Anyone else's {@code user_id} is only the original frontend's hint and is ignored.
     */
    private Caller acting(String requestedUserId) {
        Caller caller = callers.require();
        String userId = caller.subjectOrAdminChoice(requestedUserId);
        return userId.equals(caller.userId()) ? caller : new Caller(userId, caller.roles());
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }
}
