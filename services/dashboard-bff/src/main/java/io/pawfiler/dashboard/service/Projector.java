package io.pawfiler.dashboard.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.google.protobuf.Timestamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.api.events.AnalysisCompleted;
import io.pawfiler.api.events.CommunityActivity;
import io.pawfiler.api.events.PaymentCompleted;
import io.pawfiler.api.events.PremiumChanged;
import io.pawfiler.api.events.QuizAnswered;
import io.pawfiler.api.events.UserProfileChanged;
import io.pawfiler.api.events.UserRegistered;
import io.pawfiler.api.events.VideoUploaded;
import io.pawfiler.api.events.XpEarned;
import io.pawfiler.dashboard.domain.Activity;
import io.pawfiler.dashboard.domain.ActivityTexts;
import io.pawfiler.dashboard.domain.AnalysisTask;
import io.pawfiler.dashboard.domain.GameProgress;
import io.pawfiler.dashboard.domain.Metric;
import io.pawfiler.dashboard.domain.ProfileCard;
import io.pawfiler.dashboard.domain.Subscription;
import io.pawfiler.dashboard.store.ReadModelStore;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.EventType;

/**
 * One event's effect on the read model: the same code for live consumption and for a rebuild's replay. Runs inside
 * the caller's transaction (the inbox's, or the rebuild's), which also records the event id, so each event applies
 * once. Order does not matter: every rule keeps the newest state by the event's own time or totals
 * ({@code domain/}), and counts are sums of distinct events.
 */
@ApplicationScoped
public class Projector {

    /** xp.earned's reason for a first vote's XP (community-service's grant), shown on the vote's own line. */
    static final String COMMUNITY_VOTE_REASON = "community.vote";

    private final ReadModelStore store;
    private final ZoneId zone;

    @Inject
    Projector(ReadModelStore store, @ConfigProperty(name = "pawfiler.dashboard.zone", defaultValue = "Asia/Seoul") String zone) {
        this.store = store;
        this.zone = ZoneId.of(zone);
    }

    /** What an applied event did that a live consumer may act on (daily quests). */
    public record Applied(String userId, LocalDate day, Metric metric) {
        static Applied nothingCounted(String userId) {
            return new Applied(userId, null, null);
        }
    }

    public ZoneId zone() {
        return zone;
    }

    /** The topics whose events make the read model (xp.granted is quiz-service's input; its result is xp.earned). */
    public static final List<EventType> CONSUMED = Arrays.stream(EventType.values())
            .filter(type -> type != EventType.XP_GRANTED).toList();

    /**
     * @throws IllegalArgumentException for an event no producer should send (no user, unknown kind or status), thrown
     *                                  before anything is written: the consumer dead-letters it, a rebuild skips it
     */
    public Applied apply(CloudEvent event) {
        return switch (event.type()) {
            case USER_REGISTERED -> registered(event, event.dataAs(UserRegistered.class));
            case USER_PROFILE_CHANGED -> profileChanged(event, event.dataAs(UserProfileChanged.class));
            case QUIZ_ANSWERED -> answered(event, event.dataAs(QuizAnswered.class));
            case XP_EARNED -> earned(event, event.dataAs(XpEarned.class));
            case VIDEO_UPLOADED -> uploaded(event, event.dataAs(VideoUploaded.class));
            case ANALYSIS_COMPLETED -> analysed(event, event.dataAs(AnalysisCompleted.class));
            case PAYMENT_COMPLETED -> paid(event, event.dataAs(PaymentCompleted.class));
            case PREMIUM_CHANGED -> premiumChanged(event, event.dataAs(PremiumChanged.class));
            case COMMUNITY_ACTIVITY -> community(event, event.dataAs(CommunityActivity.class));
            case XP_GRANTED -> throw new IllegalArgumentException("xp.granted is not read by the dashboard (xp.earned is)");
        };
    }

    private Applied registered(CloudEvent event, UserRegistered registered) {
        String userId = user(registered.getUserId(), event);
        Instant at = time(registered.getRegisteredAt(), event);
        store.lockUser(userId, at);
        card(userId, new ProfileCard(registered.getNickname(), registered.getAvatarEmoji(), at));
        feed(event, userId, Activity.Kind.SIGNED_UP, ActivityTexts.signedUp(), 0, 0, at, userId);
        return Applied.nothingCounted(userId);
    }

    private Applied profileChanged(CloudEvent event, UserProfileChanged changed) {
        String userId = user(changed.getUserId(), event);
        Instant at = time(changed.getChangedAt(), event);
        store.lockUser(userId, at);
        card(userId, new ProfileCard(changed.getNickname(), changed.getAvatarEmoji(), at));
        feed(event, userId, Activity.Kind.PROFILE_CHANGED, ActivityTexts.profileChanged(), 0, 0, at, userId);
        return Applied.nothingCounted(userId);
    }

    private void card(String userId, ProfileCard candidate) {
        ProfileCard current = store.card(userId).orElse(null);
        ProfileCard kept = ProfileCard.newer(current, candidate);
        if (kept != current) {
            store.saveCard(userId, kept);
        }
    }

    private Applied answered(CloudEvent event, QuizAnswered answer) {
        String userId = user(answer.getUserId(), event);
        Instant at = time(answer.getAnsweredAt(), event);
        store.lockUser(userId, at);
        store.saveQuizStats(userId, store.quizStats(userId).with(answer.getCorrect(), answer.getStreak(), at));
        LocalDate day = day(at);
        store.addToTally(userId, day, Metric.QUIZ_ANSWERED, 1);
        if (answer.getCorrect()) {
            store.addToTally(userId, day, Metric.QUIZ_CORRECT, 1);
        }
        feed(event, userId, Activity.Kind.QUIZ_ANSWERED, ActivityTexts.quizAnswered(answer.getCorrect()),
                answer.getXpEarned(), answer.getCoinsEarned(), at, answer.getQuestionId());
        return answer.getCorrect() ? new Applied(userId, day, Metric.QUIZ_CORRECT) : Applied.nothingCounted(userId);
    }

    private Applied earned(CloudEvent event, XpEarned earned) {
        String userId = user(earned.getUserId(), event);
        Instant at = time(earned.getEarnedAt(), event);
        store.lockUser(userId, at);
        GameProgress current = store.progress(userId).orElse(null);
        GameProgress candidate = new GameProgress(earned.getLevel(), earned.getTierName(), earned.getTotalXp(),
                earned.getTotalCoins(), at);
        GameProgress kept = GameProgress.later(current, candidate);
        if (kept != current) {
            store.saveProgress(userId, kept);
        }
        if (earned.getXp() != 0) {
            store.addToTally(userId, day(at), Metric.XP, earned.getXp());
        }
        // quiz answers and votes have their own lines (quiz.answered, community.activity, with their XP); a promotion
        // or a grant from elsewhere (daily quest, bonus coins) gets one
        if (earned.getTierPromoted()) {
            feed(event, userId, Activity.Kind.TIER_PROMOTED, ActivityTexts.tierPromoted(earned.getTierName()),
                    earned.getXp(), earned.getCoins(), at, earned.getSourceId());
        } else if (!earned.getReason().startsWith("quiz.") && !earned.getReason().equals(COMMUNITY_VOTE_REASON)) {
            feed(event, userId, Activity.Kind.XP_GRANTED, ActivityTexts.granted(earned.getReason()),
                    earned.getXp(), earned.getCoins(), at, earned.getSourceId());
        }
        return Applied.nothingCounted(userId);
    }

    private Applied uploaded(CloudEvent event, VideoUploaded uploaded) {
        String userId = user(uploaded.getUserId(), event);
        Instant at = time(uploaded.getUploadedAt(), event);
        store.lockUser(userId, at);
        AnalysisTask current = store.task(uploaded.getTaskId()).orElse(null);
        store.saveTask(AnalysisTask.uploaded(current, uploaded.getTaskId(), userId, uploaded.getFilename(), at));
        store.addToTally(userId, day(at), Metric.VIDEOS_UPLOADED, 1);
        feed(event, userId, Activity.Kind.VIDEO_UPLOADED, ActivityTexts.videoUploaded(), 0, 0, at, uploaded.getTaskId());
        return Applied.nothingCounted(userId);
    }

    private Applied analysed(CloudEvent event, AnalysisCompleted completed) {
        String userId = user(completed.getUserId(), event);
        Instant at = time(completed.getCompletedAt(), event);
        String status = completed.getStatus().toUpperCase(Locale.ROOT);
        if (!AnalysisTask.COMPLETED.equals(status) && !AnalysisTask.FAILED.equals(status)) {
            throw new IllegalArgumentException("analysis.completed " + completed.getTaskId() + ": status " + status);
        }
        store.lockUser(userId, at);
        AnalysisTask current = store.task(completed.getTaskId()).orElse(null);
        store.saveTask(AnalysisTask.completed(current, completed.getTaskId(), userId, completed.getFilename(), status,
                completed.getVerdict(), completed.getConfidenceScore(), at));
        boolean failed = AnalysisTask.FAILED.equals(status);
        feed(event, userId, Activity.Kind.ANALYSIS_COMPLETED, ActivityTexts.analysisCompleted(failed), 0, 0, at,
                completed.getTaskId());
        if (failed) {
            return Applied.nothingCounted(userId);
        }
        LocalDate day = day(at);
        store.addToTally(userId, day, Metric.ANALYSES_COMPLETED, 1);
        return new Applied(userId, day, Metric.ANALYSES_COMPLETED);
    }

    private Applied paid(CloudEvent event, PaymentCompleted payment) {
        String userId = user(payment.getUserId(), event);
        Instant at = time(payment.getCompletedAt(), event);
        store.lockUser(userId, at);
        Instant until = payment.hasPremiumUntil() ? time(payment.getPremiumUntil(), event) : null;
        store.saveSubscription(userId, Subscription.paid(store.subscription(userId).orElse(null), until,
                payment.getPlanId(), at));
        feed(event, userId, Activity.Kind.PAYMENT_COMPLETED, ActivityTexts.paymentCompleted(), 0,
                payment.getBonusCoins(), at, payment.getPaymentId());
        return Applied.nothingCounted(userId);
    }

    private Applied premiumChanged(CloudEvent event, PremiumChanged changed) {
        String userId = user(changed.getUserId(), event);
        Instant at = time(changed.getChangedAt(), event);
        store.lockUser(userId, at);
        Instant until = changed.hasPremiumUntil() ? time(changed.getPremiumUntil(), event) : null;
        store.saveSubscription(userId, Subscription.changed(store.subscription(userId).orElse(null), until, at));
        feed(event, userId, Activity.Kind.PREMIUM_CHANGED, ActivityTexts.premiumChanged(changed.getReason()), 0, 0, at,
                changed.getPaymentId().isEmpty() ? changed.getSubscriptionId() : changed.getPaymentId());
        return Applied.nothingCounted(userId);
    }

    private Applied community(CloudEvent event, CommunityActivity activity) {
        String userId = user(activity.getUserId(), event);
        Instant at = time(activity.getOccurredAt(), event);
        Activity.Kind kind;
        try {
            kind = Activity.Kind.valueOf(activity.getKind().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("community.activity: unknown kind '" + activity.getKind() + "'");
        }
        store.lockUser(userId, at);
        ActivityTexts.Text text = ActivityTexts.community(kind);
        feed(event, userId, kind, text, activity.getXpGranted(), 0, at,
                activity.getCommentId().isEmpty() ? activity.getPostId() : activity.getCommentId());
        Metric metric = switch (kind) {
            case POST_CREATED -> Metric.POSTS_CREATED;
            case COMMENT_CREATED -> Metric.COMMENTS_CREATED;
            case POST_VOTED -> Metric.POSTS_VOTED;
            case POST_LIKED -> Metric.POSTS_LIKED;
            default -> null;
        };
        if (metric == null) {
            return Applied.nothingCounted(userId);
        }
        LocalDate day = day(at);
        store.addToTally(userId, day, metric, 1);
        return new Applied(userId, day, metric);
    }

    private void feed(CloudEvent event, String userId, Activity.Kind kind, ActivityTexts.Text text, int xp, int coins,
                      Instant at, String refId) {
        store.addActivity(new Activity(event.id(), userId, kind, text.title(), text.icon(), xp, coins, at, refId));
    }

    public LocalDate day(Instant at) {
        return at.atZone(zone).toLocalDate();
    }

    private static String user(String payloadUserId, CloudEvent event) {
        String userId = payloadUserId.isBlank() ? event.subject() : payloadUserId;
        if (userId.isBlank() || userId.length() > 64) {
            throw new IllegalArgumentException(event.type().typeName() + " " + event.id() + ": user_id is blank or too long");
        }
        return userId;
    }

    /** The payload's own time orders changes; the envelope's when a producer left it out. */
    private static Instant time(Timestamp timestamp, CloudEvent event) {
        return timestamp.getSeconds() == 0 && timestamp.getNanos() == 0
                ? event.time() : Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
