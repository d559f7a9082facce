package io.pawfiler.dashboard.events;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pawfiler.dashboard.service.Projector;
import io.pawfiler.dashboard.service.QuestRewards;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.inbox.EventConsumer;

/**
 * Every topic the dashboard reads → the read model, once per event id (the platform inbox), then the daily quests'
 * rewards. An event without a user or with an unknown kind goes to its topic's .dlq.
 */
@ApplicationScoped
public class ReadModelFeed {

    /** The inbox key of the read model's effect; a rebuild's shadow inbox uses it too. */
    public static final String CONSUMER = "dashboard.read-model";

    @Inject
    EventConsumer events;

    @Inject
    Projector projector;

    @Inject
    QuestRewards questRewards;

    @Inject
    RebuildGate gate;

    @Incoming("user-registered")
    public CompletionStage<Void> onUserRegistered(Message<String> message) {
        return consume(message, EventType.USER_REGISTERED);
    }

    @Incoming("user-profile-changed")
    public CompletionStage<Void> onProfileChanged(Message<String> message) {
        return consume(message, EventType.USER_PROFILE_CHANGED);
    }

    @Incoming("quiz-answered")
    public CompletionStage<Void> onQuizAnswered(Message<String> message) {
        return consume(message, EventType.QUIZ_ANSWERED);
    }

    @Incoming("xp-earned")
    public CompletionStage<Void> onXpEarned(Message<String> message) {
        return consume(message, EventType.XP_EARNED);
    }

    @Incoming("video-uploaded")
    public CompletionStage<Void> onVideoUploaded(Message<String> message) {
        return consume(message, EventType.VIDEO_UPLOADED);
    }

    @Incoming("analysis-completed")
    public CompletionStage<Void> onAnalysisCompleted(Message<String> message) {
        return consume(message, EventType.ANALYSIS_COMPLETED);
    }

    @Incoming("payment-completed")
    public CompletionStage<Void> onPaymentCompleted(Message<String> message) {
        return consume(message, EventType.PAYMENT_COMPLETED);
    }

    @Incoming("premium-changed")
    public CompletionStage<Void> onPremiumChanged(Message<String> message) {
        return consume(message, EventType.PREMIUM_CHANGED);
    }

    @Incoming("community-activity")
    public CompletionStage<Void> onCommunityActivity(Message<String> message) {
        return consume(message, EventType.COMMUNITY_ACTIVITY);
    }

    private CompletionStage<Void> consume(Message<String> message, EventType type) {
        return gate.live(() -> events.consume(message, CONSUMER, type, this::applyLive));
    }

    private void applyLive(CloudEvent event) {
        questRewards.grantCompleted(projector.apply(event));
    }
}
