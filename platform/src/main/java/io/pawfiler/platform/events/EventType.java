package io.pawfiler.platform.events;

import java.util.Arrays;
import java.util.Optional;

import com.google.protobuf.Message;

import io.pawfiler.api.events.AnalysisCompleted;
import io.pawfiler.api.events.CommunityActivity;
import io.pawfiler.api.events.PaymentCompleted;
import io.pawfiler.api.events.PremiumChanged;
import io.pawfiler.api.events.QuizAnswered;
import io.pawfiler.api.events.UserProfileChanged;
import io.pawfiler.api.events.UserRegistered;
import io.pawfiler.api.events.VideoUploaded;
import io.pawfiler.api.events.XpEarned;
import io.pawfiler.api.events.XpGranted;

/**
 * The event types of the system: the six of the first design, then those added later (profile changes, XP granted
 * outside the quiz, community activity). The type name is both the CloudEvents {@code type} and the Kafka topic;
 * the payload schema is a message of {@code events.proto}.
 */
public enum EventType {
    USER_REGISTERED("user.registered", UserRegistered.getDefaultInstance()),
    QUIZ_ANSWERED("quiz.answered", QuizAnswered.getDefaultInstance()),
    XP_EARNED("xp.earned", XpEarned.getDefaultInstance()),
    VIDEO_UPLOADED("video.uploaded", VideoUploaded.getDefaultInstance()),
    ANALYSIS_COMPLETED("analysis.completed", AnalysisCompleted.getDefaultInstance()),
    PAYMENT_COMPLETED("payment.completed", PaymentCompleted.getDefaultInstance()),
    USER_PROFILE_CHANGED("user.profile-changed", UserProfileChanged.getDefaultInstance()),
    XP_GRANTED("xp.granted", XpGranted.getDefaultInstance()),
    COMMUNITY_ACTIVITY("community.activity", CommunityActivity.getDefaultInstance()),
    PREMIUM_CHANGED("premium.changed", PremiumChanged.getDefaultInstance());

    private final String typeName;
    private final Message payloadPrototype;

    EventType(String typeName, Message payloadPrototype) {
        this.typeName = typeName;
        this.payloadPrototype = payloadPrototype;
    }

    /** CloudEvents type, equal to the Kafka topic name. */
    public String typeName() {
        return typeName;
    }

    public String topic() {
        return typeName;
    }

    /** Where poison messages of this type end up. */
    public String deadLetterTopic() {
        return typeName + ".dlq";
    }

    Message payloadPrototype() {
        return payloadPrototype;
    }

    public static Optional<EventType> fromTypeName(String typeName) {
        return Arrays.stream(values()).filter(t -> t.typeName.equals(typeName)).findFirst();
    }
}
