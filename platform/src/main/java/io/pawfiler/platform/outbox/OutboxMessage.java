package io.pawfiler.platform.outbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An event waiting to be published, written in the same transaction as the state change it describes.
 * Every service lists this class in its persistence unit; the table comes from {@code db/common/outbox-inbox.sql}.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxMessage {

    /** Insertion order: the relay publishes in this order, which keeps per-key order on Kafka. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "event_id", nullable = false, updatable = false, length = 36)
    private String eventId;

    @Column(name = "event_type", nullable = false, updatable = false, length = 64)
    private String eventType;

    /** Kafka record key: the user the event is about. */
    @Column(name = "subject", nullable = false, updatable = false, length = 128)
    private String subject;

    /** The whole CloudEvent as JSON, exactly as it goes on the wire. */
    @Column(name = "payload", nullable = false, updatable = false)
    private String payload;

    // OffsetDateTime, not Instant: EclipseLink 4.0 (JPA 3.1) has no Instant mapping and would write bytes.
    @Column(name = "created_at", nullable = false, updatable = false)
    private OffsetDateTime createdAt;

    @Column(name = "published_at")
    private OffsetDateTime publishedAt;

    protected OutboxMessage() {
    }

    OutboxMessage(String eventId, String eventType, String subject, String payload, Instant createdAt) {
        this.eventId = eventId;
        this.eventType = eventType;
        this.subject = subject;
        this.payload = payload;
        this.createdAt = createdAt.atOffset(ZoneOffset.UTC);
    }

    public Long id() {
        return id;
    }

    public String eventId() {
        return eventId;
    }

    public String eventType() {
        return eventType;
    }

    public String subject() {
        return subject;
    }

    public String payload() {
        return payload;
    }

    public Instant createdAt() {
        return createdAt.toInstant();
    }

    public Instant publishedAt() {
        return publishedAt == null ? null : publishedAt.toInstant();
    }
}
