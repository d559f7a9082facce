package io.pawfiler.platform.outbox;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/** A fixed set of properties as a MicroProfile {@link ConfigSource} (one outbox channel's producer settings). */
final class MapConfigSource implements ConfigSource {

    private final String name;
    private final Map<String, String> properties;

    MapConfigSource(String name, Map<String, String> properties) {
        this.name = name;
        this.properties = Map.copyOf(properties);
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return name;
    }
}
