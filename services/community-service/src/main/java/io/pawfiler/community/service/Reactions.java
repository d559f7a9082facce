package io.pawfiler.community.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.community.domain.Votes;
import io.pawfiler.community.events.ActivityEvents;
import io.pawfiler.community.store.CommunityStore;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;
import io.pawfiler.platform.security.Caller;

/**
 * Likes and "is this real?" votes. Each change locks the post's row first, so concurrent likes or votes on one post
 * apply one after another and its counters equal the rows they count; repeats change nothing.
 */
@ApplicationScoped
public class Reactions {

    public record LikeResult(boolean liked, boolean alreadyLiked, int totalLikes) {
    }

    public record VoteResult(boolean alreadyVoted, int xpEarned) {
    }

    /** A post's tallies as one reader may see them. */
    public record Tally(String postId, int trueVotes, int falseVotes, boolean revealed, Optional<Boolean> isCorrect) {
    }

    @Inject
    CommunityStore store;

    @Inject
    AbuseLimits limits;

    @Inject
    ActivityEvents events;

    private final Clock clock = Clock.systemUTC();

    @Transactional
    public LikeResult like(Caller caller, String postId) {
        CommunityStore.LockedPost post = locked(postId);
        Instant now = clock.instant();
        if (!store.insertLike(postId, caller.userId(), post.authorId(), now)) {
            return new LikeResult(true, true, store.likes(postId));
        }
        int total = store.addToCounter(postId, CommunityStore.Counter.LIKES, 1);
        events.activity(ActivityEvents.Kind.POST_LIKED, caller.userId(), postId, post.authorId(), post.title(), now);
        return new LikeResult(true, false, total);
    }

    @Transactional
    public LikeResult unlike(Caller caller, String postId) {
        CommunityStore.LockedPost post = locked(postId);
        if (!store.deleteLike(postId, caller.userId())) {
            return new LikeResult(false, false, store.likes(postId));
        }
        int total = store.addToCounter(postId, CommunityStore.Counter.LIKES, -1);
        events.activity(ActivityEvents.Kind.POST_UNLIKED, caller.userId(), postId, post.authorId(), post.title(),
                clock.instant());
        return new LikeResult(false, false, total);
    }

    @Transactional
    public boolean liked(Caller caller, String postId) {
        Posts.requireId("post_id", postId);
        return store.liked(postId, caller.userId());
    }

    /**
     * One vote per reader and post; a second one is {@code already_voted} and changes nothing. A first vote earns
     * {@link Votes#FIRST_VOTE_XP} XP, credited by quiz-service from the xp.granted event written in this transaction.
     * Authors do not vote on their own posts (they know the answer).
     */
    @Transactional
    public VoteResult vote(Caller caller, String postId, boolean vote) {
        CommunityStore.LockedPost post = locked(postId);
        if (post.authorId().equals(caller.userId())) {
            throw new ApiException(ErrorKind.FAILED_PRECONDITION, "post_id", "you cannot vote on your own post", null);
        }
        if (store.vote(postId, caller.userId()).isPresent()) {
            return new VoteResult(true, 0);
        }
        Instant now = clock.instant();
        limits.checkVote(caller, now);
        Optional<Boolean> correct = Votes.correct(vote, post.isCorrect());
        if (!store.insertVote(postId, caller.userId(), vote, correct, now)) {
            return new VoteResult(true, 0);
        }
        store.addToCounter(postId, vote ? CommunityStore.Counter.TRUE_VOTES : CommunityStore.Counter.FALSE_VOTES, 1);
        events.firstVote(caller.userId(), postId, post.authorId(), post.title(), vote, correct, now);
        return new VoteResult(false, Votes.FIRST_VOTE_XP);
    }

    @Transactional
    public Optional<Boolean> voteOf(Caller caller, String postId) {
        Posts.requireId("post_id", postId);
        return store.vote(postId, caller.userId());
    }

    @Transactional
    public Tally tally(Caller caller, String postId) {
        Posts.requireId("post_id", postId);
        CommunityStore.PostRow post = store.post(postId).orElseThrow(() -> ApiException.notFound("no post " + postId));
        boolean revealed = Votes.revealed(store.vote(postId, caller.userId()).isPresent(),
                post.authorId().equals(caller.userId()));
        return revealed
                ? new Tally(postId, post.trueVotes(), post.falseVotes(), true, post.isCorrect())
                : new Tally(postId, 0, 0, false, Optional.empty());
    }

    private CommunityStore.LockedPost locked(String postId) {
        Posts.requireId("post_id", postId);
        return store.lockPost(postId).orElseThrow(() -> ApiException.notFound("no post " + postId));
    }
}
