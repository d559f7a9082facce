package io.pawfiler.community.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.community.domain.FeedQuery;
import io.pawfiler.community.domain.PostRules;
import io.pawfiler.community.domain.Votes;
import io.pawfiler.community.events.ActivityEvents;
import io.pawfiler.community.store.CommunityStore;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.security.Caller;

/** Writing, editing, deleting and reading posts. Each use case is one transaction. */
@ApplicationScoped
public class Posts {

    /** What a writer sends; media either inline (bytes) or as an external URL. */
    public record Draft(String title, String body, List<String> tags, MediaAttachments.Request media,
                        boolean adminPost, Optional<Boolean> isCorrect) {
    }

    /** A post as one reader sees it: tallies and the answer only once they voted (or wrote it). */
    public record View(CommunityStore.PostRow row, String mediaUrl, boolean votesRevealed) {
    }

    /** A page as one reader sees it. */
    public record FeedPage(List<View> posts, long totalCount, boolean totalEstimated, int page) {
    }

    @Inject
    CommunityStore store;

    @Inject
    MediaAttachments media;

    @Inject
    AbuseLimits limits;

    @Inject
    ActivityEvents events;

    private final Clock clock = Clock.systemUTC();

    /**
     * A new post by the caller. {@code is_admin_post} counts only for admins; media are checked by their bytes and
     * stored before the row (a failed transaction leaves no unreferenced bytes: see {@link MediaAttachments}).
     */
    @Transactional
    public View create(Caller caller, Draft draft) {
        String title = PostRules.title(draft.title());
        String body = PostRules.body(draft.body());
        List<String> tags = PostRules.tags(draft.tags());
        Instant now = clock.instant();
        limits.checkPost(caller, now);
        MediaAttachments.Attachment attachment = media.attach(draft.media(), now);
        String id = UUID.randomUUID().toString();
        boolean adminPost = draft.adminPost() && caller.isAdmin();
        store.insertPost(new CommunityStore.NewPost(id, caller.userId(), title, body, tags, attachment.externalUrl(),
                attachment.mediaType(), attachment.storageKey(), adminPost, draft.isCorrect(), now));
        events.activity(ActivityEvents.Kind.POST_CREATED, caller.userId(), id, caller.userId(), title, now);
        return view(caller, store.post(id).orElseThrow(), Optional.empty());
    }

    /** New title, body and tags; only the author or an admin. Media and the answer stay as they were. */
    @Transactional
    public View update(Caller caller, String postId, String title, String body, List<String> tags) {
        CommunityStore.LockedPost post = lockedOwnPost(caller, postId);
        store.updatePost(post.id(), PostRules.title(title), PostRules.body(body), PostRules.tags(tags), clock.instant());
        return view(caller, store.post(post.id()).orElseThrow(), store.vote(post.id(), caller.userId()));
    }

    /** Deletes the post with its comments, likes and votes; only the author or an admin. */
    @Transactional
    public void delete(Caller caller, String postId) {
        CommunityStore.LockedPost post = lockedOwnPost(caller, postId);
        store.deletePost(post.id());
        if (post.mediaKey() != null) {
            media.release(post.mediaKey());
        }
        events.activity(ActivityEvents.Kind.POST_DELETED, caller.userId(), post.id(), post.authorId(), post.title(),
                clock.instant());
    }

    @Transactional
    public View get(Caller caller, String postId) {
        requireId("post_id", postId);
        CommunityStore.PostRow row = store.post(postId).orElseThrow(() -> ApiException.notFound("no post " + postId));
        return view(caller, row, store.vote(postId, caller.userId()));
    }

    @Transactional
    public FeedPage feed(Caller caller, FeedQuery query) {
        CommunityStore.Page page = store.feed(query);
        Map<String, Boolean> votes = store.votes(caller.userId(),
                page.posts().stream().map(CommunityStore.PostRow::id).toList());
        return new FeedPage(page.posts().stream()
                .map(row -> view(caller, row, Optional.ofNullable(votes.get(row.id())))).toList(),
                page.totalCount(), page.estimated(), query.page());
    }

    private CommunityStore.LockedPost lockedOwnPost(Caller caller, String postId) {
        requireId("post_id", postId);
        CommunityStore.LockedPost post = store.lockPost(postId)
                .orElseThrow(() -> ApiException.notFound("no post " + postId));
        if (!post.authorId().equals(caller.userId()) && !caller.isAdmin()) {
            throw ApiException.permissionDenied("only the author or an admin may change post " + postId);
        }
        return post;
    }

    private View view(Caller caller, CommunityStore.PostRow row, Optional<Boolean> callerVote) {
        boolean revealed = Votes.revealed(callerVote.isPresent(), row.authorId().equals(caller.userId()));
        return new View(row, media.urlOf(row), revealed);
    }

    static void requireId(String field, String id) {
        if (id == null || id.isBlank()) {
            throw ApiException.invalidArgument(field, "is required");
        }
        if (id.length() > 64) {
            throw ApiException.invalidArgument(field, "is not an id");
        }
    }
}
