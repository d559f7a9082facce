package io.pawfiler.quiz.service;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.quiz.domain.Question;
import io.pawfiler.quiz.store.QuizStore;

/**
 * Questions by id, held in memory for a short while. Every answer needs its question, and questions change only
 * when an admin edits them: reading and parsing the row on every answer was a statement and a JSON parse per call.
 * A change made through this instance evicts its entry once the change committed; a change made through another
 * instance shows here within {@code pawfiler.quiz.question-cache-ttl}. Unknown ids are not remembered, so a new
 * question is answerable everywhere at once.
 */
@ApplicationScoped
public class QuestionCache {

    /** A question as the game sees it. */
    public record Entry(Question question, boolean retired) {
    }

    /** Fired inside the transaction that created, changed or retired a question. */
    public record QuestionChanged(String questionId) {
    }

    private record Held(Entry entry, long expiresAtNanos) {
    }

    /** More than any catalogue has; a bound, so ids fished for by clients cannot grow it without end. */
    private static final int MAX_ENTRIES = 10_000;

    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();

    @Inject
    QuizStore store;

    @Inject
    @ConfigProperty(name = "pawfiler.quiz.question-cache-ttl", defaultValue = "PT30S")
    Duration ttl;

    /** The question, from memory or (inside the caller's transaction) from the store. */
    public Optional<Entry> get(String questionId) {
        long now = System.nanoTime();
        Held cached = held.get(questionId);
        if (cached != null && now - cached.expiresAtNanos() < 0) {
            return Optional.of(cached.entry());
        }
        Optional<Entry> loaded = store.question(questionId).map(q -> new Entry(q.toDomain(), q.retired()));
        loaded.ifPresent(entry -> {
            if (held.size() >= MAX_ENTRIES) {
                held.clear();
            }
            held.put(questionId, new Held(entry, now + ttl.toNanos()));
        });
        return loaded;
    }

    /** After the commit, not before: until then the old row is what every other transaction still reads. */
    void evict(@Observes(during = TransactionPhase.AFTER_SUCCESS) QuestionChanged changed) {
        held.remove(changed.questionId());
    }
}
