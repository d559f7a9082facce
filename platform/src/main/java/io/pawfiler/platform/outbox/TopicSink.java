package io.pawfiler.platform.outbox;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Where the relay hands one topic's records: {@link KafkaTopicSink} in a service, an in-memory fake in unit tests. */
interface TopicSink extends AutoCloseable {

    /**
     * Hands one record over.
     *
     * @return a future completed when the broker acknowledged it, or empty when the sink could not take it in time
     *         (the caller stops the batch there so that per-key order is kept)
     */
    Optional<CompletableFuture<Void>> send(String key, String cloudEventJson, long offerTimeoutMillis);

    /** False once the sink failed or was abandoned; the relay then builds a new one. */
    boolean alive();

    /**
     * Gives up on the records this sink still holds, without waiting for them: the relay sends them again through a
     * new sink. What the old sink still delivers later is a duplicate, which consumers drop by event id.
     */
    void abandon();

    String topic();

    @Override
    void close();
}
