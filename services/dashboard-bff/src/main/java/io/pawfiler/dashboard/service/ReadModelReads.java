package io.pawfiler.dashboard.service;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.dashboard.domain.DailyQuests;
import io.pawfiler.dashboard.domain.Metric;
import io.pawfiler.dashboard.domain.Subscription;
import io.pawfiler.dashboard.store.ReadModelStore;

/** The local part of a dashboard: one transaction, one snapshot of the read model. */
@ApplicationScoped
public class ReadModelReads {

    @Inject
    ReadModelStore store;

    @Inject
    Projector projector;

    private final Clock clock = Clock.systemUTC();

    @Transactional
    public DashboardView read(String userId, int recentLimit) {
        store.readOneSnapshot();
        Instant now = clock.instant();
        LocalDate today = projector.day(now);
        Map<Metric, Long> tallies = store.tallies(userId, today);
        Optional<Subscription> subscription = store.subscription(userId);
        return new DashboardView(userId, store.card(userId), store.progress(userId), tallies.getOrDefault(Metric.XP, 0L),
                store.quizStats(userId), store.analysisCounts(userId), store.recentTasks(userId, recentLimit),
                Optional.empty(), subscription, subscription.map(s -> s.premiumAt(now)).orElse(false),
                store.asOf(userId), DailyQuests.progress(tallies));
    }
}
