package io.pawfiler.video.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.video.store.HistoryStore;

/** A user's analyses, newest first, in pages. */
@ApplicationScoped
public class AnalysisHistory {

    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 100;

    /** One analysis as the history lists it. */
    public record Item(String taskId, String finalVerdict, Double confidence, String modelVersion, Instant createdAt,
                       String videoUrl, String stage, String filename) {
    }

    /** A page; {@code nextPageToken} is null on the last one. */
    public record Page(List<Item> items, String nextPageToken) {
    }

    @Inject
    HistoryStore store;

    @Inject
    UploadUrls urls;

    @Transactional
    public Page page(String userId, Integer pageSize, String pageToken) {
        int size = pageSize == null || pageSize == 0 ? DEFAULT_PAGE_SIZE : pageSize;
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiException.invalidArgument("page_size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        Cursor after = pageToken == null || pageToken.isBlank() ? null : Cursor.decode(pageToken);
        // one more than asked: tells whether another page follows without a count query
        List<HistoryStore.Entry> rows = store.page(userId, after == null ? null : after.createdAt(),
                after == null ? null : after.taskId(), size + 1);
        List<Item> items = rows.stream().limit(size).map(this::item).toList();
        String next = rows.size() > size
                ? new Cursor(rows.get(size - 1).createdAt(), rows.get(size - 1).taskId()).encode() : null;
        return new Page(items, next);
    }

    private Item item(HistoryStore.Entry entry) {
        String verdict = switch (entry.stage()) {
            case "COMPLETED" -> entry.verdict();
            case "FAILED" -> "FAILED";
            default -> "PROCESSING";
        };
        Double confidence = entry.fakeScore() == null ? null : Math.max(0, entry.fakeScore());  // -1: no face scored
        return new Item(entry.taskId(), verdict, confidence, entry.modelVersion(), entry.createdAt(),
                urls.videoUrl(entry.taskId()), entry.stage(), entry.filename());
    }

    /**
     * Where a page ends: the last task's (created_at, id), base64url; opaque to clients. Microseconds, as
     * PostgreSQL stores them, so the next page's comparison is exact.
     */
    record Cursor(Instant createdAt, String taskId) {
        String encode() {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((micros + ":" + taskId).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                String taskId = text.substring(colon + 1);
                if (colon < 1 || taskId.isEmpty() || taskId.length() > 36) {
                    throw new IllegalArgumentException(text);
                }
                return new Cursor(Instant.EPOCH.plus(Long.parseLong(text.substring(0, colon)), ChronoUnit.MICROS), taskId);
            } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
                throw ApiException.invalidArgument("page_token", "is not a token this service issued");
            }
        }
    }
}
