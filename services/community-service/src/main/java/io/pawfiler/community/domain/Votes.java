package io.pawfiler.community.domain;

import java.util.Optional;

/** The rules of "is this real?" votes. */
public final class Votes {

    /** XP a reader earns for their first vote on a post (the original's rule); credited by quiz-service. */
    public static final int FIRST_VOTE_XP = 1;

    private Votes() {
    }

    /**
     * Whether a vote (true = "real") matched the author's answer ({@code is_correct}: the media is genuine);
     * empty when the post has no answer.
     */
    public static Optional<Boolean> correct(boolean vote, Optional<Boolean> mediaIsGenuine) {
        return mediaIsGenuine.map(genuine -> genuine == vote);
    }

    /** Tallies and the answer are shown to readers who voted and to the post's author, hidden from everyone else. */
    public static boolean revealed(boolean callerVoted, boolean callerIsAuthor) {
        return callerVoted || callerIsAuthor;
    }

    /** The idempotency key of the XP for one reader's first vote on one post. */
    public static String grantId(String postId, String userId) {
        return "community.vote:" + postId + ":" + userId;
    }
}
