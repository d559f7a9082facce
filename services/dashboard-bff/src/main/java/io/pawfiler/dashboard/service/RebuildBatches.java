package io.pawfiler.dashboard.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.dashboard.events.ReadModelFeed;
import io.pawfiler.dashboard.store.ShadowSchema;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.CloudEventCodec;

/**
 * Applies a batch of replayed records to the shadow tables in one transaction, through the same {@link Projector}
 * the live consumers use. Daily quest rewards are not granted again (they were, live, once; quest_grants stays).
 */
@ApplicationScoped
public class RebuildBatches {

    private static final System.Logger LOGGER = System.getLogger(RebuildBatches.class.getName());

    @Inject
    ShadowSchema shadow;

    @Inject
    Projector projector;

    /** @return how many events were applied (duplicates, foreign and malformed records are skipped) */
    @Transactional
    public int apply(List<String> records) {
        shadow.useInThisTransaction();
        int applied = 0;
        for (String value : records) {
            CloudEvent event;
            try {
                event = CloudEventCodec.decode(value);
            } catch (CloudEventCodec.MalformedEventException | NullPointerException e) {
                continue;  // the live consumer dead-lettered it too
            }
            if (!Projector.CONSUMED.contains(event.type())
                    || !shadow.claim(ReadModelFeed.CONSUMER, event.id(), event.type().typeName())) {
                continue;
            }
            try {
                projector.apply(event);
                applied++;
            } catch (IllegalArgumentException rejected) {
                // refused before anything was written (see Projector.apply), as the live consumer refused it
                LOGGER.log(System.Logger.Level.DEBUG, () -> "rebuild skips " + event.id() + ": " + rejected.getMessage());
            }
        }
        return applied;
    }
}
