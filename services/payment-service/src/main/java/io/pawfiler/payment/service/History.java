package io.pawfiler.payment.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.payment.store.PaymentStore;
import io.pawfiler.platform.errors.ApiException;

/** A user's transactions, newest first, paged by an opaque cursor (the last row's time and id). */
@ApplicationScoped
public class History {

    public static final int DEFAULT_PAGE = 20;
    public static final int MAX_PAGE = 100;

    public record Page(List<PaymentStore.TransactionRow> transactions, String nextPageToken) {
    }

    @Inject
    PaymentStore store;

    @Transactional
    public Page of(String userId, int pageSize, String pageToken) {
        if (pageSize < 0) {
            throw ApiException.invalidArgument("page_size", "must be 1-" + MAX_PAGE);
        }
        int size = pageSize == 0 ? DEFAULT_PAGE : Math.min(pageSize, MAX_PAGE);
        Optional<Instant> before = Optional.empty();
        Optional<String> beforeId = Optional.empty();
        if (pageToken != null && !pageToken.isBlank()) {
            try {
                String[] cursor = new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8).split("\\|", 2);
                before = Optional.of(Instant.parse(cursor[0]));
                beforeId = Optional.of(cursor[1]);
            } catch (RuntimeException e) {
                throw ApiException.invalidArgument("page_token", "is not a token from this list");
            }
        }
        List<PaymentStore.TransactionRow> rows = store.transactions(userId, before, beforeId, size + 1);
        if (rows.size() <= size) {
            return new Page(rows, "");
        }
        PaymentStore.TransactionRow last = rows.get(size - 1);
        String next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                (last.createdAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
        return new Page(rows.subList(0, size), next);
    }
}
