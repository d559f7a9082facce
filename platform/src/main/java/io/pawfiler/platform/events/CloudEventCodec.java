package io.pawfiler.platform.events;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import io.pawfiler.platform.json.Jsons;

/**
 * CloudEvents 1.0 structured-mode JSON: the envelope attributes plus {@code data}, the payload in protobuf's
 * canonical JSON mapping (so {@code events.proto} stays the one schema for every payload).
 */
public final class CloudEventCodec {

    public static final String SPEC_VERSION = "1.0";
    /** Kafka {@code content-type} header value of structured-mode CloudEvents. */
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    // Unknown fields are tolerated so producers can add payload fields before every consumer knows them.
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private CloudEventCodec() {
    }

    /**
     * The envelope as compact JSON. The payload is protobuf's own JSON text, embedded as it is: printing it and
     * parsing it back into a JSON-P tree only to print it again cost more than the rest of the encoding.
     */
    public static String encode(CloudEvent event) {
        String data;
        try {
            data = PRINTER.print(event.data());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("payload cannot be printed as JSON", e);
        }
        return new StringBuilder(data.length() + 256)
                .append("{\"specversion\":\"").append(SPEC_VERSION).append('"')
                .append(",\"id\":").append(Jsons.quote(event.id()))
                .append(",\"source\":").append(Jsons.quote(event.source()))
                .append(",\"type\":").append(Jsons.quote(event.type().typeName()))
                .append(",\"time\":\"").append(event.time()).append('"')
                .append(",\"subject\":").append(Jsons.quote(event.subject()))
                .append(",\"datacontenttype\":\"application/json\"")
                .append(",\"data\":").append(data)
                .append('}')
                .toString();
    }

    /**
     * Decodes and validates an envelope.
     *
     * @throws MalformedEventException when the text is not a CloudEvent of a known type with a valid payload
     */
    public static CloudEvent decode(String json) {
        JsonObject envelope;
        try {
            envelope = Jsons.parseObject(json);
        } catch (JsonException | IllegalStateException e) {
            throw new MalformedEventException("not a JSON object: " + e.getMessage());
        }
        String specVersion = requiredString(envelope, "specversion");
        if (!SPEC_VERSION.equals(specVersion)) {
            throw new MalformedEventException("unsupported specversion " + specVersion);
        }
        String typeName = requiredString(envelope, "type");
        EventType type = EventType.fromTypeName(typeName)
                .orElseThrow(() -> new MalformedEventException("unknown event type " + typeName));
        Instant time;
        try {
            time = Instant.parse(requiredString(envelope, "time"));
        } catch (DateTimeParseException e) {
            throw new MalformedEventException("time is not an RFC 3339 timestamp");
        }
        JsonValue data = envelope.get("data");
        if (data == null || data.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new MalformedEventException("data is missing or not an object");
        }
        Message.Builder payload = type.payloadPrototype().newBuilderForType();
        try {
            PARSER.merge(data.toString(), payload);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedEventException("data does not match " + type.typeName() + ": " + e.getMessage());
        }
        return new CloudEvent(requiredString(envelope, "id"), requiredString(envelope, "source"), type, time,
                requiredString(envelope, "subject"), payload.build());
    }

    private static String requiredString(JsonObject envelope, String attribute) {
        JsonValue value = envelope.get(attribute);
        if (value == null || value.getValueType() != JsonValue.ValueType.STRING
                || envelope.getString(attribute).isBlank()) {
            throw new MalformedEventException("attribute '" + attribute + "' is missing or not a string");
        }
        return envelope.getString(attribute);
    }

    /** The message is not a valid Pawfiler CloudEvent; retrying will not help (it goes to the dead-letter topic). */
    public static final class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message) {
            super(message);
        }
    }
}
