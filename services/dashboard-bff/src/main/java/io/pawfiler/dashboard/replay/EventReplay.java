package io.pawfiler.dashboard.replay;

import java.util.List;
import java.util.function.Consumer;

/**
 * Reads whole topics from their first record, for rebuilding a read model. Portable seam: the service knows only
 * this; {@link KafkaEventReplay} is the Kafka implementation.
 */
public interface EventReplay {

    /** A reading position over the topics, opened at their beginning. Not thread-safe: one thread uses it. */
    interface Session extends AutoCloseable {

        /**
         * Reads from the current position up to the end of every topic as it is now (records written meanwhile wait
         * for the next call) and hands the record values over in batches, in per-partition order.
         *
         * @return how many records were handed over
         */
        long readToEnd(Consumer<List<String>> batch);

        @Override
        void close();
    }

    Session open(List<String> topics);
}
