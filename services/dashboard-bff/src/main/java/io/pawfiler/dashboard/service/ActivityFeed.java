package io.pawfiler.dashboard.service;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.dashboard.domain.Activity;
import io.pawfiler.dashboard.domain.FeedCursor;
import io.pawfiler.dashboard.store.ReadModelStore;
import io.pawfiler.platform.errors.ApiException;

/** GetActivityFeed: newest first, a keyset page after the token's (occurred_at, id). */
@ApplicationScoped
public class ActivityFeed {

    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 100;

    /** @param nextPageToken empty on the last page */
    public record Page(List<Activity> activities, String nextPageToken) {
    }

    @Inject
    ReadModelStore store;

    /** @param pageSize 0 for the default; @param pageToken blank for the first page */
    @Transactional
    public Page page(String userId, int pageSize, String pageToken) {
        if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
            throw ApiException.invalidArgument("page_size", "must be 0 (default " + DEFAULT_PAGE_SIZE + ") to " + MAX_PAGE_SIZE);
        }
        int size = pageSize == 0 ? DEFAULT_PAGE_SIZE : pageSize;
        Optional<FeedCursor> cursor = Optional.empty();
        if (pageToken != null && !pageToken.isBlank()) {
            cursor = Optional.of(FeedCursor.parse(pageToken).orElseThrow(() -> ApiException.invalidArgument("page_token",
                    "is not a next_page_token of this feed")));
        }
        List<Activity> rows = store.activities(userId, cursor, size + 1);
        if (rows.size() <= size) {
            return new Page(rows, "");
        }
        List<Activity> page = rows.subList(0, size);
        Activity last = page.get(size - 1);
        return new Page(List.copyOf(page), new FeedCursor(last.occurredAt(), last.id()).token());
    }
}
