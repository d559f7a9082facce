package io.pawfiler.community.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import io.pawfiler.community.domain.AuthorCard;
import io.pawfiler.community.domain.FeedQuery;
import io.pawfiler.community.domain.PostRules;

import static io.pawfiler.platform.db.SqlTimes.instant;
import static io.pawfiler.platform.db.SqlTimes.utc;

/**
 * Posts, comments, likes, votes, author cards and media references, in plain SQL (the queries are the indexes'
 * counterpart, see db/community/001-board.sql). Callers bring the transaction.
 */
@ApplicationScoped
public class CommunityStore {

    /** A post as read, with its author's current card. */
    public record PostRow(String id, String authorId, String nickname, String avatarEmoji, String title, String body,
                          List<String> tags, String mediaUrl, String mediaType, String mediaKey, boolean adminPost,
                          Optional<Boolean> isCorrect, int likes, int comments, int trueVotes, int falseVotes,
                          Instant createdAt) {
    }

    /** A post to insert. */
    public record NewPost(String id, String authorId, String title, String body, List<String> tags, String mediaUrl,
                          String mediaType, String mediaKey, boolean adminPost, Optional<Boolean> isCorrect,
                          Instant createdAt) {
    }

    /** What a change to a post needs to know, read under the post's row lock. */
    public record LockedPost(String id, String authorId, String title, Optional<Boolean> isCorrect, String mediaKey) {
    }

    public record CommentRow(String id, String postId, String authorId, String nickname, String avatarEmoji,
                             String body, Instant createdAt) {
    }

    /**
     * One page of posts and how many match in all: exact for the feed and for searches with few matches (capped at
     * {@link #SEARCH_COUNT_CAP}), the planner's estimate for common search terms ({@code estimated}).
     */
    public record Page(List<PostRow> posts, long totalCount, boolean estimated) {
    }

    public record TagCount(String tag, long count) {
    }

    public record ActivityCounts(long posts, long comments, long likesReceived, long likesGiven, long votesCast,
                                 long votesCorrect) {
    }

    /**
     * A search counts its matches up to this many, so that a common word does not count a million rows per page;
     * the UI pages through the first {@value} matches' worth of pages, and later pages are still served.
     */
    public static final int SEARCH_COUNT_CAP = 10_000;

    /** Shorter search terms have no trigram for an index to look up. */
    static final int TRIGRAM = 3;

    /** Searches estimated to match more posts than this get an estimated total, see {@link #feed}. */
    static final int EXACT_COUNT_LIMIT = 5_000;

    private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\":\\s*(\\d+)");

    /** Rows of post_count_shards (the feed's total), see the changeset. */
    static final int COUNT_SHARDS = 16;

    /** Tags travel as one string joined by the unit separator, which a tag cannot contain (see PostRules). */
    private static final String TAG_SEPARATOR = "\u001f";

    /** What {@link #postRow} reads, from posts {@code p} and author_cards {@code a}. */
    private static final String POST_FIELDS = """
            p.id, p.author_id, a.nickname, a.avatar_emoji, p.title, p.body, array_to_string(p.tags, chr(31)),
            p.media_url, p.media_type, p.media_key, p.is_admin_post, p.is_correct, p.likes, p.comments, p.true_votes,
            p.false_votes, p.created_at""";

    private static final String POST_COLUMNS = POST_FIELDS
            + " FROM posts p LEFT JOIN author_cards a ON a.user_id = p.author_id";

    private static final String FEED_ORDER = " ORDER BY p.is_admin_post DESC, p.created_at DESC, p.id DESC";

    @Inject
    EntityManager entityManager;

    // ------------------------------------------------------------------ posts

    public void insertPost(NewPost post) {
        entityManager.createNativeQuery("""
                        INSERT INTO posts (id, author_id, title, body, tags, media_url, media_type, media_key, is_admin_post,
                                           is_correct, created_at, updated_at)
                        VALUES (?1, ?2, ?3, ?4, string_to_array(?5, chr(31))::varchar(20)[], ?6, ?7, ?8, ?9, CAST(?10 AS boolean), ?11, ?11)""")
                .setParameter(1, post.id()).setParameter(2, post.authorId()).setParameter(3, post.title())
                .setParameter(4, post.body()).setParameter(5, String.join(TAG_SEPARATOR, post.tags()))
                .setParameter(6, post.mediaUrl()).setParameter(7, post.mediaType()).setParameter(8, post.mediaKey())
                .setParameter(9, post.adminPost()).setParameter(10, post.isCorrect().orElse(null))
                .setParameter(11, utc(post.createdAt()))
                .executeUpdate();
        countPosts(1);
    }

    public Optional<PostRow> post(String id) {
        List<?> rows = entityManager.createNativeQuery("SELECT " + POST_COLUMNS + " WHERE p.id = ?1")
                .setParameter(1, id).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(postRow((Object[]) rows.get(0)));
    }

    /** The post, row-locked until commit: changes to one post (likes, votes, comments, edits) apply one at a time. */
    public Optional<LockedPost> lockPost(String id) {
        List<?> rows = entityManager.createNativeQuery(
                        "SELECT id, author_id, title, is_correct, media_key FROM posts WHERE id = ?1 FOR UPDATE")
                .setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new LockedPost((String) r[0], (String) r[1], (String) r[2],
                Optional.ofNullable((Boolean) r[3]), (String) r[4]));
    }

    public void updatePost(String id, String title, String body, List<String> tags, Instant now) {
        entityManager.createNativeQuery("""
                        UPDATE posts SET title = ?2, body = ?3, tags = string_to_array(?4, chr(31))::varchar(20)[], updated_at = ?5
                        WHERE id = ?1""")
                .setParameter(1, id).setParameter(2, title).setParameter(3, body)
                .setParameter(4, String.join(TAG_SEPARATOR, tags)).setParameter(5, utc(now)).executeUpdate();
    }

    /** Deletes a post with its comments, likes and votes (foreign keys cascade). */
    public void deletePost(String id) {
        if (entityManager.createNativeQuery("DELETE FROM posts WHERE id = ?1").setParameter(1, id).executeUpdate() > 0) {
            countPosts(-1);
        }
    }

    /**
     * A page of the feed, admin posts first, then newest, and how many posts match.
     *
     * <p>The plain feed is one range of the feed index, and its total a sum over the counter shards. A search has
     * two shapes, chosen by the planner's estimate of its matches: a common term (estimated above
     * {@link #EXACT_COUNT_LIMIT}) walks the feed index and stops at the page, and its total is that estimate (counting
     * a word in 20% of a million posts per page would cost more than the page); a rare term collects its matches
     * from the trigram/tag indexes first, sorts those few, and counts them exactly. (Walking the feed index for a rare
     * term would read most of the table before it filled a page.)
     */
    public Page feed(FeedQuery query) {
        if (query.search().isEmpty()) {
            List<PostRow> posts = page(entityManager.createNativeQuery("SELECT " + POST_COLUMNS + FEED_ORDER
                    + " LIMIT ?1 OFFSET ?2"), query, Map.of());
            long total = number(entityManager.createNativeQuery("SELECT COALESCE(sum(posts), 0) FROM post_count_shards")
                    .getSingleResult());
            return new Page(posts, total, false);
        }
        StringBuilder where = new StringBuilder();
        Map<Integer, Object> parameters = new HashMap<>();
        searchCondition(query.search().get(), where, parameters);
        long estimate = estimatedRows("SELECT 1 FROM posts p" + where, parameters);
        if (estimate > EXACT_COUNT_LIMIT) {
            List<PostRow> posts = page(entityManager.createNativeQuery("SELECT " + POST_COLUMNS + where + FEED_ORDER
                    + " LIMIT ?1 OFFSET ?2"), query, parameters);
            return new Page(posts, Math.max(estimate, query.offset() + posts.size()), true);
        }
        // the page's ids first, then their rows and author cards (15 lookups, not a join over every card)
        List<PostRow> posts = page(entityManager.createNativeQuery("WITH matches AS MATERIALIZED ("
                + "SELECT p.id, p.is_admin_post, p.created_at FROM posts p" + where + "), "
                + "page AS (SELECT m.id FROM matches m ORDER BY m.is_admin_post DESC, m.created_at DESC, m.id DESC"
                + " LIMIT ?1 OFFSET ?2) SELECT " + POST_COLUMNS + " JOIN page g ON g.id = p.id" + FEED_ORDER),
                query, parameters);
        Query count = entityManager.createNativeQuery("SELECT count(*) FROM (SELECT 1 FROM posts p" + where
                + " LIMIT ?1) matches").setParameter(1, SEARCH_COUNT_CAP);
        parameters.forEach(count::setParameter);
        return new Page(posts, number(count.getSingleResult()), false);
    }

    private List<PostRow> page(Query page, FeedQuery query, Map<Integer, Object> parameters) {
        page.setParameter(1, query.pageSize()).setParameter(2, query.offset());
        parameters.forEach(page::setParameter);
        return ((List<?>) page.getResultList()).stream().map(r -> postRow((Object[]) r)).toList();
    }

    /** The planner's estimate of a query's rows (EXPLAIN, no execution: about a millisecond). */
    private long estimatedRows(String sql, Map<Integer, Object> parameters) {
        Query explain = entityManager.createNativeQuery("EXPLAIN (FORMAT JSON) " + sql);
        parameters.forEach(explain::setParameter);
        Matcher rows = PLAN_ROWS.matcher(String.valueOf(explain.getSingleResult()));
        return rows.find() ? Long.parseLong(rows.group(1)) : Long.MAX_VALUE;
    }

    /**
     * Substring match (trigram indexes) in title and/or body; "title" and "all" also match a tag exactly. A term of
     * one or two characters has no trigram of its own, so an index cannot find it anywhere inside a word: it matches
     * at the start of a word instead ({@code 영상} finds 영상을 and "딥페이크 영상", not 촬영상), which the index can
     * look up through its word-start trigrams.
     */
    private static void searchCondition(FeedQuery.Search search, StringBuilder where, Map<Integer, Object> parameters) {
        String escaped = likeEscaped(search.term());
        boolean wordStart = PostRules.length(search.term()) < TRIGRAM;
        parameters.put(3, wordStart ? escaped + "%" : "%" + escaped + "%");
        if (wordStart) {
            parameters.put(5, "% " + escaped + "%");
        }
        String title = wordStart ? "(p.title ILIKE ?3 OR p.title ILIKE ?5)" : "p.title ILIKE ?3";
        String body = wordStart ? "(p.body ILIKE ?3 OR p.body ILIKE ?5)" : "p.body ILIKE ?3";
        String text = switch (search.type()) {
            case TITLE -> title;
            case BODY -> body;
            case ALL -> title + " OR " + body;
        };
        String tag = PostRules.tagOf(search.term());
        if (search.type().matchesTags() && tag.codePointCount(0, tag.length()) <= 20) {
            parameters.put(4, tag);
            text += " OR p.tags @> ARRAY[CAST(?4 AS varchar(20))]";
        }
        where.append(" WHERE (").append(text).append(')');
    }

    /** ILIKE treats % _ and \ specially; a user's search means them literally. */
    static String likeEscaped(String term) {
        return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private void countPosts(int delta) {
        entityManager.createNativeQuery("UPDATE post_count_shards SET posts = posts + ?1 WHERE shard = ?2")
                .setParameter(1, delta)
                .setParameter(2, (short) ThreadLocalRandom.current().nextInt(COUNT_SHARDS))
                .executeUpdate();
    }

    // ------------------------------------------------------------------ counters

    /** Adds to a post's counter column and returns its new value. */
    public int addToCounter(String postId, Counter counter, int delta) {
        return (int) number(entityManager.createNativeQuery("UPDATE posts SET " + counter.column + " = "
                        + counter.column + " + ?2 WHERE id = ?1 RETURNING " + counter.column)
                .setParameter(1, postId).setParameter(2, delta).getSingleResult());
    }

    public int likes(String postId) {
        return (int) number(entityManager.createNativeQuery("SELECT likes FROM posts WHERE id = ?1")
                .setParameter(1, postId).getSingleResult());
    }

    public enum Counter {
        LIKES("likes"), COMMENTS("comments"), TRUE_VOTES("true_votes"), FALSE_VOTES("false_votes");

        private final String column;

        Counter(String column) {
            this.column = column;
        }
    }

    // ------------------------------------------------------------------ comments

    public void insertComment(String id, String postId, String authorId, String body, Instant now) {
        entityManager.createNativeQuery("INSERT INTO comments (id, post_id, author_id, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, id).setParameter(2, postId).setParameter(3, authorId).setParameter(4, body)
                .setParameter(5, utc(now)).executeUpdate();
    }

    /** Oldest first, as the original showed them. */
    public List<CommentRow> comments(String postId) {
        List<?> rows = entityManager.createNativeQuery("""
                        SELECT c.id, c.post_id, c.author_id, a.nickname, a.avatar_emoji, c.body, c.created_at
                        FROM comments c LEFT JOIN author_cards a ON a.user_id = c.author_id
                        WHERE c.post_id = ?1 ORDER BY c.created_at, c.id""")
                .setParameter(1, postId).getResultList();
        return rows.stream().map(row -> {
            Object[] r = (Object[]) row;
            return new CommentRow((String) r[0], (String) r[1], (String) r[2],
                    r[3] != null ? (String) r[3] : AuthorCard.UNKNOWN_NICKNAME,
                    r[4] != null ? (String) r[4] : AuthorCard.UNKNOWN_AVATAR, (String) r[5], instant(r[6]));
        }).toList();
    }

    /** Which post a comment belongs to and who wrote it. */
    public record CommentOwner(String postId, String authorId) {
    }

    public Optional<CommentOwner> commentOwner(String id) {
        List<?> rows = entityManager.createNativeQuery("SELECT post_id, author_id FROM comments WHERE id = ?1")
                .setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new CommentOwner((String) r[0], (String) r[1]));
    }

    public boolean deleteComment(String id) {
        return entityManager.createNativeQuery("DELETE FROM comments WHERE id = ?1").setParameter(1, id).executeUpdate() > 0;
    }

    // ------------------------------------------------------------------ likes and votes

    /** @return whether the like is new (a repeated like changes nothing) */
    public boolean insertLike(String postId, String userId, String postAuthorId, Instant now) {
        return entityManager.createNativeQuery("""
                        INSERT INTO post_likes (post_id, user_id, author_id, created_at) VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT (post_id, user_id) DO NOTHING""")
                .setParameter(1, postId).setParameter(2, userId).setParameter(3, postAuthorId)
                .setParameter(4, utc(now)).executeUpdate() > 0;
    }

    /** @return whether there was a like to take back */
    public boolean deleteLike(String postId, String userId) {
        return entityManager.createNativeQuery("DELETE FROM post_likes WHERE post_id = ?1 AND user_id = ?2")
                .setParameter(1, postId).setParameter(2, userId).executeUpdate() > 0;
    }

    public boolean liked(String postId, String userId) {
        return !entityManager.createNativeQuery("SELECT 1 FROM post_likes WHERE post_id = ?1 AND user_id = ?2")
                .setParameter(1, postId).setParameter(2, userId).getResultList().isEmpty();
    }

    /** @return whether the vote is new (a second vote changes nothing) */
    public boolean insertVote(String postId, String userId, boolean vote, Optional<Boolean> correct, Instant now) {
        return entityManager.createNativeQuery("""
                        INSERT INTO post_votes (post_id, user_id, vote, correct, created_at) VALUES (?1, ?2, ?3, CAST(?4 AS boolean), ?5)
                        ON CONFLICT (post_id, user_id) DO NOTHING""")
                .setParameter(1, postId).setParameter(2, userId).setParameter(3, vote)
                .setParameter(4, correct.orElse(null)).setParameter(5, utc(now)).executeUpdate() > 0;
    }

    public Optional<Boolean> vote(String postId, String userId) {
        List<?> rows = entityManager.createNativeQuery("SELECT vote FROM post_votes WHERE post_id = ?1 AND user_id = ?2")
                .setParameter(1, postId).setParameter(2, userId).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of((Boolean) rows.get(0));
    }

    /** The user's votes among these posts (for a feed page: which tallies to reveal). */
    public Map<String, Boolean> votes(String userId, Collection<String> postIds) {
        if (postIds.isEmpty()) {
            return Map.of();
        }
        List<?> rows = entityManager.createNativeQuery(
                        "SELECT post_id, vote FROM post_votes WHERE user_id = ?1 AND post_id = ANY (string_to_array(?2, ','))")
                .setParameter(1, userId).setParameter(2, String.join(",", postIds)).getResultList();
        Map<String, Boolean> votes = new HashMap<>();
        rows.forEach(row -> votes.put((String) ((Object[]) row)[0], (Boolean) ((Object[]) row)[1]));
        return votes;
    }

    // ------------------------------------------------------------------ rate limits

    /** When the user's n-th most recent post, comment or vote was made, if they made that many. */
    public Optional<Instant> nthMostRecent(Activity activity, String userId, int n) {
        List<?> rows = entityManager.createNativeQuery("SELECT created_at FROM " + activity.table + " WHERE "
                        + activity.userColumn + " = ?1 ORDER BY created_at DESC OFFSET ?2 LIMIT 1")
                .setParameter(1, userId).setParameter(2, n - 1).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(instant(rows.get(0)));
    }

    public enum Activity {
        POST("posts", "author_id"), COMMENT("comments", "author_id"), VOTE("post_votes", "user_id");

        private final String table;
        private final String userColumn;

        Activity(String table, String userColumn) {
            this.table = table;
            this.userColumn = userColumn;
        }
    }

    // ------------------------------------------------------------------ author cards

    /** Writes a card unless the stored one is newer (events may arrive late or twice). */
    public void upsertAuthorCard(AuthorCard card, Instant changedAt) {
        entityManager.createNativeQuery("""
                        INSERT INTO author_cards (user_id, nickname, avatar_emoji, changed_at) VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT (user_id) DO UPDATE SET nickname = EXCLUDED.nickname, avatar_emoji = EXCLUDED.avatar_emoji,
                            changed_at = EXCLUDED.changed_at
                        WHERE author_cards.changed_at <= EXCLUDED.changed_at""")
                .setParameter(1, card.userId()).setParameter(2, card.nickname()).setParameter(3, card.avatarEmoji())
                .setParameter(4, utc(changedAt)).executeUpdate();
    }

    public Optional<AuthorCard> authorCard(String userId) {
        List<?> rows = entityManager.createNativeQuery("SELECT nickname, avatar_emoji FROM author_cards WHERE user_id = ?1")
                .setParameter(1, userId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new AuthorCard(userId, (String) r[0], (String) r[1]));
    }

    // ------------------------------------------------------------------ media references

    public void registerMedia(String key, String contentType, String mediaType, long size, Instant now) {
        entityManager.createNativeQuery("""
                        INSERT INTO media_objects (storage_key, content_type, media_type, size_bytes, created_at)
                        VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (storage_key) DO NOTHING""")
                .setParameter(1, key).setParameter(2, contentType).setParameter(3, mediaType).setParameter(4, size)
                .setParameter(5, utc(now)).executeUpdate();
    }

    /**
     * Forgets a stored object when no post names it any more.
     *
     * @return whether it was forgotten (its bytes may then be deleted after commit)
     */
    public boolean releaseMediaIfUnused(String key) {
        return entityManager.createNativeQuery("""
                        DELETE FROM media_objects m WHERE m.storage_key = ?1
                        AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.media_key = ?1)""")
                .setParameter(1, key).executeUpdate() > 0;
    }

    public boolean mediaRegistered(String key) {
        return !entityManager.createNativeQuery("SELECT 1 FROM media_objects WHERE storage_key = ?1")
                .setParameter(1, key).getResultList().isEmpty();
    }

    // ------------------------------------------------------------------ side panel

    /** The most used tags of posts created since then, most used first (ties by name). */
    public Optional<TagCount> topTag(Instant since) {
        List<?> rows = entityManager.createNativeQuery("""
                        SELECT tag, count(*) FROM posts p, unnest(p.tags) AS tag WHERE p.created_at >= ?1
                        GROUP BY tag ORDER BY count(*) DESC, tag LIMIT 1""")
                .setParameter(1, utc(since)).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new TagCount((String) r[0], number(r[1])));
    }

    /** Newest posts tagged 공지 or written as admin posts. */
    public List<PostRow> notices(String noticeTag, int limit) {
        List<?> rows = entityManager.createNativeQuery("SELECT " + POST_COLUMNS
                        + " WHERE p.tags @> ARRAY[CAST(?1 AS varchar(20))] OR p.is_admin_post ORDER BY p.created_at DESC, p.id DESC LIMIT ?2")
                .setParameter(1, noticeTag).setParameter(2, limit).getResultList();
        return rows.stream().map(r -> postRow((Object[]) r)).toList();
    }

    /** The author whose posts received the most likes since then, with that count. */
    public Optional<Map.Entry<String, Long>> mostLikedAuthor(Instant since) {
        List<?> rows = entityManager.createNativeQuery("""
                        SELECT author_id, count(*) FROM post_likes WHERE created_at >= ?1
                        GROUP BY author_id ORDER BY count(*) DESC, author_id LIMIT 1""")
                .setParameter(1, utc(since)).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(Map.entry((String) r[0], number(r[1])));
    }

    public long postsSince(String authorId, Instant since) {
        return number(entityManager.createNativeQuery("SELECT count(*) FROM posts WHERE author_id = ?1 AND created_at >= ?2")
                .setParameter(1, authorId).setParameter(2, utc(since)).getSingleResult());
    }

    public ActivityCounts activityCounts(String userId) {
        Object[] r = (Object[]) entityManager.createNativeQuery("""
                        SELECT (SELECT count(*) FROM posts WHERE author_id = ?1),
                               (SELECT count(*) FROM comments WHERE author_id = ?1),
                               (SELECT count(*) FROM post_likes WHERE author_id = ?1),
                               (SELECT count(*) FROM post_likes WHERE user_id = ?1),
                               (SELECT count(*) FROM post_votes WHERE user_id = ?1),
                               (SELECT count(*) FROM post_votes WHERE user_id = ?1 AND correct)""")
                .setParameter(1, userId).getSingleResult();
        return new ActivityCounts(number(r[0]), number(r[1]), number(r[2]), number(r[3]), number(r[4]), number(r[5]));
    }

    // ------------------------------------------------------------------ mapping

    private static PostRow postRow(Object[] r) {
        String authorId = (String) r[1];
        String tags = (String) r[6];
        return new PostRow((String) r[0], authorId,
                r[2] != null ? (String) r[2] : AuthorCard.UNKNOWN_NICKNAME,
                r[3] != null ? (String) r[3] : AuthorCard.UNKNOWN_AVATAR,
                (String) r[4], (String) r[5],
                tags == null || tags.isEmpty() ? List.of() : Arrays.asList(tags.split(TAG_SEPARATOR)),
                (String) r[7], (String) r[8], (String) r[9], (Boolean) r[10], Optional.ofNullable((Boolean) r[11]),
                (int) number(r[12]), (int) number(r[13]), (int) number(r[14]), (int) number(r[15]), instant(r[16]));
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
