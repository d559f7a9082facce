package io.pawfiler.dashboard.service;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;

import com.google.protobuf.Timestamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.pawfiler.api.events.XpGranted;
import io.pawfiler.dashboard.domain.DailyQuests;
import io.pawfiler.dashboard.store.ReadModelStore;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.outbox.Outbox;

/**
 * Grants a daily quest's reward when an event completes it: once per user, quest and day (a quest_grants row and the
 * xp.granted event commit with the event's effect). quiz-service credits the XP and coins, once per grant id.
 */
@ApplicationScoped
public class QuestRewards {

    @Inject
    ReadModelStore store;

    @Inject
    Outbox outbox;

    private final Clock clock = Clock.systemUTC();

    /** Called in the transaction that applied an event counting {@code applied.metric()} on {@code applied.day()}. */
    public void grantCompleted(Projector.Applied applied) {
        if (applied.metric() == null) {
            return;
        }
        LocalDate day = applied.day();
        for (DailyQuests.Quest quest : DailyQuests.completed(store.tallies(applied.userId(), day))) {
            if (quest.metric() != applied.metric()) {
                continue;
            }
            Instant now = clock.instant();
            if (store.recordQuestGrant(applied.userId(), quest.id(), day, now)) {
                outbox.publish(EventType.XP_GRANTED, applied.userId(), XpGranted.newBuilder()
                        .setGrantId(DailyQuests.grantId(quest, day, applied.userId()))
                        .setUserId(applied.userId()).setXp(quest.rewardXp()).setCoins(quest.rewardCoins())
                        .setReason(DailyQuests.REASON).setSourceId(quest.id() + ":" + day)
                        .setGrantedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                        .build());
            }
        }
    }
}
