package io.pawfiler.community.events;

import java.time.Instant;
import java.util.Optional;

import com.google.protobuf.Timestamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.pawfiler.api.events.CommunityActivity;
import io.pawfiler.api.events.XpGranted;
import io.pawfiler.community.domain.Votes;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.outbox.Outbox;

/** What community-service publishes, always through the outbox inside the action's transaction. */
@ApplicationScoped
public class ActivityEvents {

    public enum Kind {
        POST_CREATED, POST_DELETED, COMMENT_CREATED, COMMENT_DELETED, POST_LIKED, POST_UNLIKED, POST_VOTED;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Inject
    Outbox outbox;

    /** community.activity, keyed by the acting user. */
    public void activity(Kind kind, String userId, String postId, String postAuthorId, String postTitle, Instant at) {
        outbox.publish(EventType.COMMUNITY_ACTIVITY, userId, base(kind, userId, postId, postAuthorId, postTitle, at).build());
    }

    public void comment(Kind kind, String userId, String postId, String commentId, String postAuthorId, String postTitle,
                        Instant at) {
        outbox.publish(EventType.COMMUNITY_ACTIVITY, userId, base(kind, userId, postId, postAuthorId, postTitle, at)
                .setCommentId(commentId).build());
    }

    /** A first vote: the activity, and the reader's XP as a grant quiz-service credits once (by its grant id). */
    public void firstVote(String userId, String postId, String postAuthorId, String postTitle, boolean vote,
                          Optional<Boolean> correct, Instant at) {
        CommunityActivity.Builder activity = base(Kind.POST_VOTED, userId, postId, postAuthorId, postTitle, at)
                .setVote(vote).setXpGranted(Votes.FIRST_VOTE_XP);
        correct.ifPresent(activity::setVoteCorrect);
        outbox.publish(EventType.COMMUNITY_ACTIVITY, userId, activity.build());
        outbox.publish(EventType.XP_GRANTED, userId, XpGranted.newBuilder()
                .setGrantId(Votes.grantId(postId, userId)).setUserId(userId).setXp(Votes.FIRST_VOTE_XP)
                .setReason("community.vote").setSourceId(postId).setGrantedAt(timestamp(at)).build());
    }

    private static CommunityActivity.Builder base(Kind kind, String userId, String postId, String postAuthorId,
                                                  String postTitle, Instant at) {
        return CommunityActivity.newBuilder().setKind(kind.wireName()).setUserId(userId).setPostId(postId)
                .setPostAuthorId(postAuthorId).setPostTitle(postTitle).setOccurredAt(timestamp(at));
    }

    static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }
}
