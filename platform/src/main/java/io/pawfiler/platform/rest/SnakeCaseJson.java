package io.pawfiler.platform.rest;

import jakarta.enterprise.context.Dependent;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * JSON-B for every REST body: snake_case names, the proto field names the original frontend sends and reads
 * ({@code avatarEmoji} in Java is {@code avatar_emoji} on the wire).
 */
// @Dependent, not @ApplicationScoped: Jersey must see the class itself, not a client proxy, to match ContextResolver<Jsonb>
@Provider
@Dependent
public class SnakeCaseJson implements ContextResolver<Jsonb> {

    private final Jsonb jsonb = JsonbBuilder.create(new JsonbConfig()
            .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES));

    @Override
    public Jsonb getContext(Class<?> type) {
        return jsonb;
    }
}
