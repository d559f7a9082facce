package io.pawfiler.dashboard.api;

import java.time.Instant;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;

import io.pawfiler.api.dashboard.ActivityFeed;
import io.pawfiler.api.dashboard.ActivityType;
import io.pawfiler.api.dashboard.AnalysisSummary;
import io.pawfiler.api.dashboard.CommunitySummary;
import io.pawfiler.api.dashboard.DailyQuest;
import io.pawfiler.api.dashboard.Dashboard;
import io.pawfiler.api.dashboard.GameProgress;
import io.pawfiler.api.dashboard.QuizSummary;
import io.pawfiler.api.dashboard.RecentAnalysis;
import io.pawfiler.api.dashboard.SubscriptionSummary;
import io.pawfiler.dashboard.domain.Activity;
import io.pawfiler.dashboard.domain.AnalysisTask;
import io.pawfiler.dashboard.domain.QuizStats;
import io.pawfiler.dashboard.service.DashboardView;

/** The read model's views as dashboard.proto messages, and those as the REST JSON (proto field names). */
final class DashboardMapping {

    /** The section a failed remote source leaves unset. */
    static final String COMMUNITY = "community";

    // Like Envoy's transcoder configured in gateway-envoy: snake_case names, fields printed even when 0 or empty
    private static final JsonFormat.Printer JSON = JsonFormat.printer().preservingProtoFieldNames()
            .includingDefaultValueFields().omittingInsignificantWhitespace();

    private DashboardMapping() {
    }

    static Dashboard dashboard(DashboardView view) {
        Dashboard.Builder dashboard = Dashboard.newBuilder().setUserId(view.userId());
        view.card().ifPresent(card -> dashboard.setNickname(card.nickname()).setAvatarEmoji(card.avatarEmoji()));
        GameProgress.Builder progress = GameProgress.newBuilder().setExpToday(saturated(view.xpToday()));
        view.progress().ifPresent(p -> progress.setLevel(p.level()).setTierName(p.tierName())
                .setTotalExp(saturated(p.totalXp())).setTotalCoins(saturated(p.totalCoins())));
        dashboard.setProgress(progress);
        dashboard.setQuiz(quiz(view.quiz()));
        var counts = view.analysisCounts();
        AnalysisSummary.Builder analysis = AnalysisSummary.newBuilder().setTotalAnalyses(saturated(counts.total()))
                .setFakeCount(saturated(counts.fake())).setRealCount(saturated(counts.real()))
                .setInconclusiveCount(saturated(counts.inconclusive())).setFailedCount(saturated(counts.failed()))
                .setAverageConfidence(counts.averageConfidence());
        view.recentAnalyses().forEach(task -> analysis.addRecent(recent(task)));
        dashboard.setAnalysis(analysis);
        view.community().ifPresentOrElse(c -> dashboard.setCommunity(CommunitySummary.newBuilder().setPosts(c.posts())
                        .setComments(c.comments()).setLikesReceived(c.likesReceived()).setVotesCast(c.votesCast())),
                () -> dashboard.addUnavailableSections(COMMUNITY));
        SubscriptionSummary.Builder subscription = SubscriptionSummary.newBuilder().setPremium(view.premium());
        view.subscription().ifPresent(s -> {
            subscription.setPlanId(s.planId());
            if (s.premiumUntil() != null) {
                subscription.setPremiumUntil(timestamp(s.premiumUntil()));
            }
            if (s.lastPaymentAt() != null) {
                subscription.setLastPaymentAt(timestamp(s.lastPaymentAt()));
            }
        });
        dashboard.setSubscription(subscription);
        view.asOf().ifPresent(asOf -> dashboard.setAsOf(timestamp(asOf)));
        view.quests().forEach(q -> dashboard.addDailyQuests(DailyQuest.newBuilder().setId(q.quest().id())
                .setTitle(q.quest().title()).setIcon(q.quest().icon()).setProgress(q.progress())
                .setTarget(q.quest().target()).setCompleted(q.completed()).setRewardXp(q.quest().rewardXp())
                .setRewardCoins(q.quest().rewardCoins())));
        return dashboard.build();
    }

    private static QuizSummary quiz(QuizStats stats) {
        QuizSummary.Builder quiz = QuizSummary.newBuilder().setTotalAnswered(saturated(stats.answered()))
                .setCorrectCount(saturated(stats.correct())).setCorrectRate(stats.correctRate())
                .setCurrentStreak(stats.currentStreak()).setBestStreak(stats.bestStreak());
        if (stats.lastAnsweredAt() != null) {
            quiz.setLastAnsweredAt(timestamp(stats.lastAnsweredAt()));
        }
        return quiz.build();
    }

    private static RecentAnalysis recent(AnalysisTask task) {
        RecentAnalysis.Builder recent = RecentAnalysis.newBuilder().setTaskId(task.taskId()).setFilename(task.filename())
                .setStatus(task.status()).setVerdict(task.verdict()).setConfidenceScore(task.confidence());
        if (task.uploadedAt() != null) {
            recent.setUploadedAt(timestamp(task.uploadedAt()));
        }
        if (task.completedAt() != null) {
            recent.setCompletedAt(timestamp(task.completedAt()));
        }
        return recent.build();
    }

    static ActivityFeed feed(io.pawfiler.dashboard.service.ActivityFeed.Page page) {
        ActivityFeed.Builder feed = ActivityFeed.newBuilder().setNextPageToken(page.nextPageToken());
        for (Activity a : page.activities()) {
            feed.addActivities(io.pawfiler.api.dashboard.Activity.newBuilder().setId(a.id()).setType(type(a.kind()))
                    .setTitle(a.title()).setIcon(a.icon()).setXp(a.xp()).setCoins(a.coins())
                    .setOccurredAt(timestamp(a.occurredAt())).setRefId(a.refId()));
        }
        return feed.build();
    }

    static ActivityType type(Activity.Kind kind) {
        return ActivityType.valueOf("ACTIVITY_" + kind.name());
    }

    static String json(MessageOrBuilder message) {
        try {
            return JSON.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }

    static int saturated(long value) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }
}
