package io.pawfiler.dashboard.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.pawfiler.dashboard.domain.AnalysisTask;
import io.pawfiler.dashboard.domain.CommunityCounts;
import io.pawfiler.dashboard.domain.DailyQuests;
import io.pawfiler.dashboard.domain.GameProgress;
import io.pawfiler.dashboard.domain.ProfileCard;
import io.pawfiler.dashboard.domain.QuizStats;
import io.pawfiler.dashboard.domain.Subscription;
import io.pawfiler.dashboard.store.ReadModelStore;

/**
 * Everything the dashboard shows for one user. Empty parts: nothing heard yet (a new user gets an empty but valid
 * dashboard); {@code community} empty: community-service did not answer in time.
 */
public record DashboardView(String userId, Optional<ProfileCard> card, Optional<GameProgress> progress, long xpToday,
                            QuizStats quiz, ReadModelStore.AnalysisCounts analysisCounts, List<AnalysisTask> recentAnalyses,
                            Optional<CommunityCounts> community, Optional<Subscription> subscription, boolean premium,
                            Optional<Instant> asOf, List<DailyQuests.Progress> quests) {
}
