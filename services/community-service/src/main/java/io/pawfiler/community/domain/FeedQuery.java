package io.pawfiler.community.domain;

import java.util.Locale;
import java.util.Optional;

import io.pawfiler.platform.errors.ApiException;

/**
 * One page of the feed, as the original UI asks for it: 1-based page, page size (default 15, at most 100), and an
 * optional search in titles, bodies or both; "title" and "all" also match a tag exactly.
 */
public record FeedQuery(int page, int pageSize, Optional<Search> search) {

    public static final int DEFAULT_PAGE_SIZE = 15;
    public static final int MAX_PAGE_SIZE = 100;
    /** Search terms longer than this are refused (a title is at most 100 characters anyway). */
    public static final int MAX_SEARCH = 100;

    public enum SearchType {
        TITLE, BODY, ALL;

        /** Whether an exact tag match also counts (the original UI's tag chips search with "title"). */
        public boolean matchesTags() {
            return this != BODY;
        }
    }

    public record Search(String term, SearchType type) {
    }

    public int offset() {
        return (page - 1) * pageSize;
    }

    /**
     * From a request's raw fields: page 0 means 1 and page size 0 means 15 (proto3 defaults: the field was not sent),
     * larger page sizes are capped at 100; a blank search means the plain feed.
     */
    public static FeedQuery of(int page, int pageSize, String searchQuery, String searchType) {
        if (page < 0) {
            throw ApiException.invalidArgument("page", "must be 1 or more");
        }
        if (pageSize < 0) {
            throw ApiException.invalidArgument("page_size", "must be 1-" + MAX_PAGE_SIZE);
        }
        if ((long) Math.max(page, 1) * Math.max(pageSize, 1) > Integer.MAX_VALUE / 2) {
            throw ApiException.invalidArgument("page", "is beyond the feed");
        }
        int size = pageSize == 0 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
        String term = searchQuery == null ? "" : searchQuery.strip();
        if (term.isEmpty()) {
            return new FeedQuery(Math.max(page, 1), size, Optional.empty());
        }
        if (PostRules.length(term) > MAX_SEARCH) {
            throw ApiException.invalidArgument("search_query", "must be at most " + MAX_SEARCH + " characters");
        }
        SearchType type = switch (searchType == null ? "" : searchType.strip().toLowerCase(Locale.ROOT)) {
            case "", "title" -> SearchType.TITLE;
            case "body", "content" -> SearchType.BODY;
            case "all" -> SearchType.ALL;
            default -> throw ApiException.invalidArgument("search_type", "must be title, body or all");
        };
        return new FeedQuery(Math.max(page, 1), size, Optional.of(new Search(term, type)));
    }
}
