package io.pawfiler.community.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The board's pure rules: post contents, feed paging, abuse limits, votes. */
class BoardRulesTest {

    @Test
    void titlesBodiesAndCommentsAreStrippedAndCountedInCharacters() {
        assertEquals("제목", PostRules.title("  제목 \n"));
        assertEquals("가".repeat(100), PostRules.title("가".repeat(100)), "100 Hangul syllables fit");
        assertEquals("😀".repeat(100), PostRules.title("😀".repeat(100)), "code points, not UTF-16 units");
        assertField("title", () -> PostRules.title("가".repeat(101)));
        assertField("title", () -> PostRules.title("   "));
        assertField("body", () -> PostRules.body(null));
        assertEquals(5000, PostRules.body("b".repeat(5000)).length());
        assertField("body", () -> PostRules.body("b".repeat(5001)));
        assertField("body", () -> PostRules.comment("c".repeat(1001)));
    }

    @Test
    void tagsAreTrimmedLowerCasedDeduplicatedAndBounded() {
        assertEquals(List.of("딥페이크", "ai", "video"), PostRules.tags(List.of(" 딥페이크", "AI", "ai ", "", "Video", "딥페이크")));
        List<String> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add("t" + i);
        }
        assertEquals(10, PostRules.tags(ten).size());
        List<String> elevenWithDuplicates = new ArrayList<>(ten);
        elevenWithDuplicates.add("T0");
        assertEquals(10, PostRules.tags(elevenWithDuplicates).size(), "a duplicate is not an 11th tag");
        ten.add("t10");
        assertField("tags", () -> PostRules.tags(ten));
        assertField("tags", () -> PostRules.tags(List.of("가".repeat(21))));
        assertField("tags", () -> PostRules.tags(List.of("a\u001fb")));
        assertEquals("ai", PostRules.tagOf(" AI "));
    }

    @Test
    void feedPagingDefaultsCapsAndRefuses() {
        FeedQuery defaults = FeedQuery.of(0, 0, "", "");
        assertEquals(1, defaults.page());
        assertEquals(15, defaults.pageSize());
        assertEquals(0, defaults.offset());
        assertTrue(defaults.search().isEmpty());
        FeedQuery third = FeedQuery.of(3, 500, "  ", "body");
        assertEquals(100, third.pageSize(), "capped at 100");
        assertEquals(200, third.offset());
        assertTrue(third.search().isEmpty(), "a blank search is the plain feed");
        assertField("page", () -> FeedQuery.of(-1, 10, "", ""));
        assertField("page_size", () -> FeedQuery.of(1, -5, "", ""));
        assertField("page", () -> FeedQuery.of(Integer.MAX_VALUE, 100, "", ""));
        assertField("search_type", () -> FeedQuery.of(1, 10, "q", "tags"));
        assertField("search_query", () -> FeedQuery.of(1, 10, "q".repeat(101), ""));

        FeedQuery.Search search = FeedQuery.of(1, 10, " 딥페이크 ", "").search().orElseThrow();
        assertEquals("딥페이크", search.term());
        assertEquals(FeedQuery.SearchType.TITLE, search.type());
        assertTrue(search.type().matchesTags());
        assertTrue(FeedQuery.of(1, 10, "x", "ALL").search().orElseThrow().type().matchesTags());
        assertFalse(FeedQuery.of(1, 10, "x", "body").search().orElseThrow().type().matchesTags());
    }

    @Test
    void aRateLimitRefusesUntilTheOldestActionLeavesTheWindow() {
        RateLimit limit = new RateLimit("body", "comments", 3, Duration.ofMinutes(10));
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        limit.check(Optional.empty(), now);                                   // fewer than 3 so far
        limit.check(Optional.of(now.minus(Duration.ofMinutes(10))), now);     // the 3rd most recent just left
        ApiException limited = assertThrows(ApiException.class,
                () -> limit.check(Optional.of(now.minus(Duration.ofMinutes(4))), now));
        assertEquals(ErrorKind.RESOURCE_EXHAUSTED, limited.kind());
        assertEquals(Optional.of("body"), limited.field());
        assertEquals(Optional.of(Duration.ofMinutes(6)), limited.retryAfter());
        assertTrue(limited.getMessage().contains("at most 3 comments per 10 min"), limited.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RateLimit("x", "y", 0, Duration.ofMinutes(1)));
    }

    @Test
    void aVoteIsCorrectWhenItMatchesTheAuthorsAnswerAndTalliesShowToVotersAndAuthors() {
        assertEquals(Optional.of(true), Votes.correct(true, Optional.of(true)), "voted real on a genuine one");
        assertEquals(Optional.of(false), Votes.correct(true, Optional.of(false)));
        assertEquals(Optional.of(true), Votes.correct(false, Optional.of(false)), "voted fake on a fake");
        assertEquals(Optional.empty(), Votes.correct(true, Optional.empty()));
        assertTrue(Votes.revealed(true, false));
        assertTrue(Votes.revealed(false, true));
        assertFalse(Votes.revealed(false, false));
        assertEquals("community.vote:p1:u1", Votes.grantId("p1", "u1"));
    }

    private static void assertField(String field, org.junit.jupiter.api.function.Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertEquals(Optional.of(field), e.field(), e.getMessage());
    }
}
