package io.pawfiler.community.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.community.domain.PostRules;
import io.pawfiler.community.events.ActivityEvents;
import io.pawfiler.community.store.CommunityStore;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.security.Caller;

/** Flat comments under a post, oldest first. */
@ApplicationScoped
public class Comments {

    @Inject
    CommunityStore store;

    @Inject
    AbuseLimits limits;

    @Inject
    ActivityEvents events;

    private final Clock clock = Clock.systemUTC();

    @Transactional
    public List<CommunityStore.CommentRow> of(String postId) {
        Posts.requireId("post_id", postId);
        if (store.post(postId).isEmpty()) {
            throw ApiException.notFound("no post " + postId);
        }
        return store.comments(postId);
    }

    /** The post's row is locked while its comment counter changes, so the count never drifts. */
    @Transactional
    public CommunityStore.CommentRow create(Caller caller, String postId, String body) {
        Posts.requireId("post_id", postId);
        String text = PostRules.comment(body);
        Instant now = clock.instant();
        CommunityStore.LockedPost post = store.lockPost(postId)
                .orElseThrow(() -> ApiException.notFound("no post " + postId));
        limits.checkComment(caller, now);
        String id = UUID.randomUUID().toString();
        store.insertComment(id, postId, caller.userId(), text, now);
        store.addToCounter(postId, CommunityStore.Counter.COMMENTS, 1);
        events.comment(ActivityEvents.Kind.COMMENT_CREATED, caller.userId(), postId, id, post.authorId(), post.title(), now);
        return store.comments(postId).stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    /** Only the comment's author or an admin. */
    @Transactional
    public void delete(Caller caller, String commentId) {
        Posts.requireId("comment_id", commentId);
        CommunityStore.CommentOwner owner = store.commentOwner(commentId)
                .orElseThrow(() -> ApiException.notFound("no comment " + commentId));
        if (!owner.authorId().equals(caller.userId()) && !caller.isAdmin()) {
            throw ApiException.permissionDenied("only the author or an admin may delete comment " + commentId);
        }
        CommunityStore.LockedPost post = store.lockPost(owner.postId())
                .orElseThrow(() -> ApiException.notFound("no comment " + commentId));
        if (store.deleteComment(commentId)) {
            store.addToCounter(post.id(), CommunityStore.Counter.COMMENTS, -1);
            events.comment(ActivityEvents.Kind.COMMENT_DELETED, caller.userId(), post.id(), commentId, post.authorId(),
                    post.title(), clock.instant());
        }
    }
}
