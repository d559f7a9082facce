package io.pawfiler.platform.security;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.helidon.microprofile.jwt.auth.JwtAuthProvider;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.ProviderRequest;
import io.helidon.security.SecurityResponse;
import io.helidon.security.spi.AuthenticationProvider;

import io.pawfiler.platform.json.Jsons;

/**
 * Helidon's MP JWT provider with key rotation. Helidon 4.1.2's {@link JwtAuthProvider} loads the JWKS once per
 * process and never again, so after auth-service rotated its signing key a long-running service would reject every
 * new token on its REST endpoints. This wrapper notices a token whose {@code kid} the current provider was not
 * built with, asks {@link HelidonTokenVerifier} (which refetches, rate-limited) whether auth-service publishes it now,
 * and if so replaces the provider with a fresh one that loads the new JWKS. Everything else is Helidon's.
 */
final class RefreshingJwtAuthProvider implements AuthenticationProvider {

    private static final System.Logger LOGGER = System.getLogger(RefreshingJwtAuthProvider.class.getName());

    /** A provider and the key ids that were published when it was made (it loads at least those). */
    private record Generation(JwtAuthProvider provider, Set<String> keyIds) {
    }

    private final Supplier<JwtAuthProvider> factory;
    private final HelidonTokenVerifier keys;
    private final String tokenHeader;
    private volatile Generation current;

    RefreshingJwtAuthProvider(Supplier<JwtAuthProvider> factory, HelidonTokenVerifier keys, String tokenHeader) {
        this.factory = factory;
        this.keys = keys;
        this.tokenHeader = tokenHeader;
    }

    @Override
    public AuthenticationResponse authenticate(ProviderRequest request) {
        Generation generation = generation();
        String keyId = bearerKeyId(request);
        if (keyId != null && !generation.keyIds().contains(keyId)) {
            generation = refreshFor(keyId, generation);
        }
        try {
            return generation.provider().authenticate(request);
        } catch (RuntimeException keysUnavailable) {
            // The JWKS could not be loaded (auth-service down): not the caller's fault, and try afresh next time.
            current = null;
            LOGGER.log(System.Logger.Level.WARNING, "cannot verify tokens: " + keysUnavailable.getMessage());
            return AuthenticationResponse.builder()
                    .status(SecurityResponse.SecurityStatus.FAILURE)
                    .statusCode(503)
                    .description("token keys unavailable")
                    .build();
        }
    }

    @Override
    public Collection<Class<? extends Annotation>> supportedAnnotations() {
        return generation().provider().supportedAnnotations();
    }

    private Generation generation() {
        Generation generation = current;
        if (generation == null) {
            synchronized (this) {
                if (current == null) {
                    current = new Generation(factory.get(), publishedKeyIds(null));
                }
                generation = current;
            }
        }
        return generation;
    }

    private Generation refreshFor(String keyId, Generation seen) {
        Set<String> published = publishedKeyIds(keyId);
        if (!published.contains(keyId)) {
            return seen;
        }
        synchronized (this) {
            if (current == seen) {
                LOGGER.log(System.Logger.Level.INFO, "token key " + keyId + " is new: reloading the JWKS");
                current = new Generation(factory.get(), published);
            }
            return current;
        }
    }

    private Set<String> publishedKeyIds(String wanted) {
        try {
            return keys.keyIdsIncluding(wanted);
        } catch (RuntimeException unavailable) {
            return Set.of();
        }
    }

    private String bearerKeyId(ProviderRequest request) {
        List<String> values = request.env().headers().entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase(tokenHeader))
                .flatMap(header -> header.getValue().stream())
                .toList();
        if (values.isEmpty() || !values.get(0).regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = values.get(0).substring(7).strip();
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            var json = Jsons.parseObject(header);
            return json.containsKey("kid") && !json.isNull("kid") ? json.getString("kid") : null;
        } catch (RuntimeException malformed) {
            return null;  // Helidon's provider rejects it
        }
    }
}
