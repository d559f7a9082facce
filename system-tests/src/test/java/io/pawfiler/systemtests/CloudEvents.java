package io.pawfiler.systemtests;

import java.io.StringReader;
import java.util.Map;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * Re-delivering and forging events as a broker or a producer would, on the CloudEvents JSON itself (the platform's
 * codec is not on this module's classpath: its CDI beans would join the test JVM's own Helidon apps).
 */
final class CloudEvents {

    private CloudEvents() {
    }

    static JsonObject parse(String cloudEvent) {
        return Json.createReader(new StringReader(cloudEvent)).readObject();
    }

    /** The payload ({@code data}, protobuf's JSON mapping: lowerCamelCase names). */
    static JsonObject data(String cloudEvent) {
        return parse(cloudEvent).getJsonObject("data");
    }

    /** The same event published again by its producer: a new event id, the same payload. */
    static String republished(String cloudEvent) {
        return with(cloudEvent, Map.of());
    }

    /** A new event like this one, with some payload fields replaced. */
    static String with(String cloudEvent, Map<String, JsonValue> dataChanges) {
        JsonObject event = parse(cloudEvent);
        JsonObjectBuilder data = Json.createObjectBuilder(event.getJsonObject("data"));
        dataChanges.forEach(data::add);
        return Json.createObjectBuilder(event).add("id", UUID.randomUUID().toString()).add("data", data).build().toString();
    }
}
