package io.pawfiler.community.api;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

import io.pawfiler.api.community.Comment;
import io.pawfiler.api.community.Post;
import io.pawfiler.community.service.Posts;
import io.pawfiler.community.store.CommunityStore;

/** Domain and store rows → community.proto messages. */
final class CommunityMapping {

    private CommunityMapping() {
    }

    static Post post(Posts.View view) {
        CommunityStore.PostRow row = view.row();
        Post.Builder post = Post.newBuilder()
                .setId(row.id())
                .setAuthorId(row.authorId())
                .setAuthorNickname(row.nickname())
                .setAuthorEmoji(row.avatarEmoji())
                .setTitle(row.title())
                .setBody(row.body())
                .setLikes(row.likes())
                .setComments(row.comments())
                .setCreatedAt(rfc3339(row.createdAt()))
                .addAllTags(row.tags())
                .setMediaUrl(view.mediaUrl())
                .setMediaType(row.mediaType() == null ? "" : row.mediaType())
                .setIsAdminPost(row.adminPost())
                .setVotesRevealed(view.votesRevealed());
        if (view.votesRevealed()) {
            post.setTrueVotes(row.trueVotes()).setFalseVotes(row.falseVotes());
            row.isCorrect().ifPresent(post::setIsCorrect);
        }
        return post.build();
    }

    static Comment comment(CommunityStore.CommentRow row) {
        return Comment.newBuilder()
                .setId(row.id())
                .setPostId(row.postId())
                .setAuthorId(row.authorId())
                .setAuthorNickname(row.nickname())
                .setAuthorEmoji(row.avatarEmoji())
                .setBody(row.body())
                .setCreatedAt(rfc3339(row.createdAt()))
                .build();
    }

    static String rfc3339(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    static int saturated(long value) {
        return (int) Math.min(Integer.MAX_VALUE, value);
    }
}
