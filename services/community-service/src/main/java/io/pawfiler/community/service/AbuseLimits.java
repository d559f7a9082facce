package io.pawfiler.community.service;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.community.domain.RateLimit;
import io.pawfiler.community.store.CommunityStore;
import io.pawfiler.platform.security.Caller;

/** Per-user limits on posting, commenting and voting (pawfiler.community.limits.*); admins are not limited. */
@ApplicationScoped
public class AbuseLimits {

    private final RateLimit posts;
    private final RateLimit comments;
    private final RateLimit votes;

    @Inject
    CommunityStore store;

    @Inject
    AbuseLimits(@ConfigProperty(name = "pawfiler.community.limits.posts", defaultValue = "5") int posts,
                @ConfigProperty(name = "pawfiler.community.limits.posts-window", defaultValue = "PT10M") Duration postsWindow,
                @ConfigProperty(name = "pawfiler.community.limits.comments", defaultValue = "30") int comments,
                @ConfigProperty(name = "pawfiler.community.limits.comments-window", defaultValue = "PT10M") Duration commentsWindow,
                @ConfigProperty(name = "pawfiler.community.limits.votes", defaultValue = "60") int votes,
                @ConfigProperty(name = "pawfiler.community.limits.votes-window", defaultValue = "PT10M") Duration votesWindow) {
        this.posts = new RateLimit("title", "posts", posts, postsWindow);
        this.comments = new RateLimit("body", "comments", comments, commentsWindow);
        this.votes = new RateLimit("vote", "votes", votes, votesWindow);
    }

    /** Call inside the action's transaction, before writing. */
    public void checkPost(Caller caller, Instant now) {
        check(posts, CommunityStore.Activity.POST, caller, now);
    }

    public void checkComment(Caller caller, Instant now) {
        check(comments, CommunityStore.Activity.COMMENT, caller, now);
    }

    public void checkVote(Caller caller, Instant now) {
        check(votes, CommunityStore.Activity.VOTE, caller, now);
    }

    private void check(RateLimit limit, CommunityStore.Activity activity, Caller caller, Instant now) {
        if (!caller.isAdmin()) {
            limit.check(store.nthMostRecent(activity, caller.userId(), limit.count()), now);
        }
    }
}
