package io.pawfiler.platform.events;

import java.io.StringReader;
import java.time.Instant;

import com.google.protobuf.Timestamp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import io.pawfiler.api.events.QuizAnswered;
import io.pawfiler.api.events.UserRegistered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudEventCodecTest {

    private static final Instant TIME = Instant.parse("2026-11-24T10:15:30.123Z");

    private static CloudEvent userRegistered() {
        return new CloudEvent("5b7c9c3e-9d5e-4a51-8a0e-6d8f1f2f4c11", "/auth-service", EventType.USER_REGISTERED, TIME,
                "user-1", UserRegistered.newBuilder()
                .setUserId("user-1").setNickname("펭귄").setAvatarEmoji("🐧")
                .setRegisteredAt(Timestamp.newBuilder().setSeconds(TIME.getEpochSecond()))
                .build());
    }

    @Test
    void encodesTheCloudEventsAttributesAndTheProtobufJsonPayload() {
        JsonObject json = Json.createReader(new StringReader(CloudEventCodec.encode(userRegistered()))).readObject();

        assertEquals("1.0", json.getString("specversion"));
        assertEquals("user.registered", json.getString("type"));
        assertEquals("/auth-service", json.getString("source"));
        assertEquals("user-1", json.getString("subject"));
        assertEquals("application/json", json.getString("datacontenttype"));
        assertEquals("2026-11-24T10:15:30.123Z", json.getString("time"));
        // protobuf JSON mapping: lowerCamelCase names, Timestamp as RFC 3339
        assertEquals("펭귄", json.getJsonObject("data").getString("nickname"));
        assertEquals("🐧", json.getJsonObject("data").getString("avatarEmoji"));
        assertEquals("2026-11-24T10:15:30Z", json.getJsonObject("data").getString("registeredAt"));
    }

    @Test
    void roundTripsEveryAttribute() {
        CloudEvent original = userRegistered();
        assertEquals(original, CloudEventCodec.decode(CloudEventCodec.encode(original)));
    }

    @Test
    void acceptsSnakeCaseAndUnknownPayloadFieldsFromOtherProducers() {
        String json = """
                {"specversion":"1.0","id":"e1","source":"/x","type":"quiz.answered","time":"2026-01-01T00:00:00Z",
                 "subject":"u1","data":{"user_id":"u1","correct":true,"added_later":42}}""";
        QuizAnswered answered = CloudEventCodec.decode(json).dataAs(QuizAnswered.class);
        assertEquals("u1", answered.getUserId());
        assertTrue(answered.getCorrect());
    }

    @Test
    void rejectsWhatIsNotAPawfilerCloudEvent() {
        assertMalformed("not json at all");
        assertMalformed("[]");
        assertMalformed("""
                {"specversion":"0.3","id":"e1","source":"/x","type":"quiz.answered","time":"2026-01-01T00:00:00Z","subject":"u1","data":{}}""");
        assertMalformed("""
                {"specversion":"1.0","id":"e1","source":"/x","type":"quiz.deleted","time":"2026-01-01T00:00:00Z","subject":"u1","data":{}}""");
        assertMalformed("""
                {"specversion":"1.0","source":"/x","type":"quiz.answered","time":"2026-01-01T00:00:00Z","subject":"u1","data":{}}""");
        assertMalformed("""
                {"specversion":"1.0","id":"e1","source":"/x","type":"quiz.answered","time":"yesterday","subject":"u1","data":{}}""");
        assertMalformed("""
                {"specversion":"1.0","id":"e1","source":"/x","type":"quiz.answered","time":"2026-01-01T00:00:00Z","subject":"u1","data":{"correct":"maybe"}}""");
        assertMalformed("""
                {"specversion":"1.0","id":"e1","source":"/x","type":"quiz.answered","time":"2026-01-01T00:00:00Z","subject":"u1"}""");
    }

    @Test
    void refusesAPayloadOfAnotherEventType() {
        assertThrows(IllegalArgumentException.class, () -> new CloudEvent("e1", "/x", EventType.QUIZ_ANSWERED, TIME, "u1",
                UserRegistered.getDefaultInstance()));
    }

    @Test
    void topicsAreTheTypeNamesAndDeadLettersFollowThem() {
        assertEquals("payment.completed", EventType.PAYMENT_COMPLETED.topic());
        assertEquals("payment.completed.dlq", EventType.PAYMENT_COMPLETED.deadLetterTopic());
        assertFalse(EventType.fromTypeName("payment.failed").isPresent());
    }

    private static void assertMalformed(String json) {
        assertThrows(CloudEventCodec.MalformedEventException.class, () -> CloudEventCodec.decode(json), json);
    }
}
