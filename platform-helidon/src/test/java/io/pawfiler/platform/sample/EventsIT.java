package io.pawfiler.platform.sample;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pawfiler.api.events.QuizAnswered;
import io.pawfiler.api.events.UserRegistered;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.CloudEventCodec;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.testing.RealInfrastructure;
import io.pawfiler.testing.kafka.KafkaTopics;
import io.pawfiler.testing.kafka.TestKafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outbox and inbox over a real PostgreSQL and a real Kafka broker. */
@ExtendWith(RealInfrastructure.class)
@HelidonTest
class EventsIT {

    private static final String TOPIC = EventType.QUIZ_ANSWERED.topic();

    @Inject
    WebTarget target;

    @Test
    void committedWriteReachesKafkaAsACloudEventAndARolledBackOneNothing() {
        String user = "user-" + UUID.randomUUID();
        Response rejected = addNote(user, "reject-" + user);
        assertEquals(409, rejected.getStatus(), "the write is rolled back with a clear error");
        Response accepted = addNote(user, "kept-" + user);
        assertEquals(200, accepted.getStatus());
        String eventId = accepted.readEntity(JsonObject.class).getString("eventId");

        List<KafkaTopics.Record> records = KafkaTopics.readUntil(TOPIC, Duration.ofSeconds(30),
                read -> read.stream().anyMatch(r -> r.value().contains(eventId)));
        KafkaTopics.Record record = records.stream().filter(r -> r.value().contains(eventId)).findFirst().orElseThrow();
        assertEquals(user, record.key(), "keyed by the user, for per-user order");
        assertEquals(CloudEventCodec.CONTENT_TYPE, record.headers().get("content-type"));
        CloudEvent event = CloudEventCodec.decode(record.value());
        assertEquals(eventId, event.id());
        assertEquals("/sample-service", event.source());
        assertEquals(user, event.subject());
        assertEquals("kept-" + user, event.dataAs(QuizAnswered.class).getQuestionId());
        assertTrue(event.time().isAfter(Instant.now().minusSeconds(60)));
        assertFalse(records.stream().anyMatch(r -> r.value().contains("reject-" + user)),
                "the rolled-back transaction published nothing");
        assertEquals(0, count("SELECT count(*) FROM sample.sample_note WHERE text = 'reject-" + user + "'"));
    }

    @Test
    void eventsWrittenWhileKafkaIsDownArriveOnceEachInOrderPerUser() throws Exception {
        List<String> users = List.of("outage-a-" + UUID.randomUUID(), "outage-b-" + UUID.randomUUID());
        TestKafka.stopBroker();
        List<String> eventIds = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                for (String user : users) {
                    Response response = addNote(user, user + "#" + i);
                    assertEquals(200, response.getStatus(), "writes do not need Kafka");
                    eventIds.add(response.readEntity(JsonObject.class).getString("eventId"));
                }
            }
            assertEquals(10, count("SELECT count(*) FROM sample.outbox_event WHERE published_at IS NULL AND subject IN ('"
                    + users.get(0) + "','" + users.get(1) + "')"), "rows wait in the outbox while the broker is down");
        } finally {
            TestKafka.startBroker();
        }

        List<KafkaTopics.Record> records = KafkaTopics.readUntil(TOPIC, Duration.ofSeconds(90),
                read -> idsIn(read).containsAll(eventIds));
        List<CloudEvent> ours = records.stream()
                .map(r -> CloudEventCodec.decode(r.value()))
                .filter(e -> users.contains(e.subject()))
                .toList();
        assertEquals(10, ours.size(), "every pending event arrived, none twice");
        assertEquals(Set.copyOf(eventIds), idsIn(records).stream().filter(eventIds::contains).collect(java.util.stream.Collectors.toSet()));
        for (String user : users) {
            List<String> sequence = ours.stream().filter(e -> e.subject().equals(user))
                    .map(e -> e.dataAs(QuizAnswered.class).getQuestionId()).toList();
            assertEquals(List.of(user + "#0", user + "#1", user + "#2", user + "#3", user + "#4"), sequence,
                    "per-user order kept");
        }
        assertEquals(0, count("SELECT count(*) FROM sample.outbox_event WHERE published_at IS NULL"));
    }

    @Test
    void aRedeliveredEventHasItsEffectOnceAndPoisonGoesToTheDeadLetterTopic() {
        String key = "inbox-" + UUID.randomUUID();
        String first = "member-" + UUID.randomUUID();
        String second = "member-" + UUID.randomUUID();
        String registered = userRegistered(key, first);
        KafkaTopics.send("user.registered", key, registered);
        KafkaTopics.send("user.registered", key, registered);
        KafkaTopics.send("user.registered", key, "{\"specversion\":\"1.0\",\"poison\":\"" + key + "\"}");
        // same key = same partition: once the last one is applied, everything before it was handled
        KafkaTopics.send("user.registered", key, userRegistered(key, second));

        awaitMember(second);
        JsonObject member = target.path("/notes/members/" + first).request().get(JsonObject.class);
        assertEquals(1, member.getInt("welcomeCount"), "the duplicate was skipped");

        List<KafkaTopics.Record> dead = KafkaTopics.readUntil("user.registered.dlq", Duration.ofSeconds(30),
                read -> read.stream().anyMatch(r -> r.value().contains(key)));
        KafkaTopics.Record poison = dead.stream().filter(r -> r.value().contains(key)).findFirst().orElseThrow();
        assertTrue(poison.headers().get("dlq-error-msg").contains("type"), poison.headers().toString());
        assertEquals("user.registered", poison.headers().get("dlq-orig-topic"));
    }

    private void awaitMember(String userId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (target.path("/notes/members/" + userId).request().get().getStatus() == 200) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError("member " + userId + " never appeared");
    }

    private static String userRegistered(String key, String userId) {
        return CloudEventCodec.encode(new CloudEvent(UUID.randomUUID().toString(), "/test", EventType.USER_REGISTERED,
                Instant.now(), key, UserRegistered.newBuilder().setUserId(userId).setNickname("nick").build()));
    }

    private Response addNote(String user, String text) {
        return target.path("/notes").request().post(Entity.json(Map.of("user_id", user, "text", text)));
    }

    private static Set<String> idsIn(List<KafkaTopics.Record> records) {
        Set<String> ids = new HashSet<>();
        for (KafkaTopics.Record record : records) {
            ids.add(CloudEventCodec.decode(record.value()).id());
        }
        return ids;
    }

    private static long count(String sql) {
        try (Connection connection = RealInfrastructure.currentDatabase().connect();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
