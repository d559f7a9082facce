package io.pawfiler.platform.security;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkKeys;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.json.Jsons;

/**
 * {@link TokenVerifier} on Helidon's JWT classes: verifies access tokens the way MP JWT does for JAX-RS, for the
 * calls MP JWT does not see (gRPC): RS256 only, signature against the JWKS at
 * {@code mp.jwt.verify.publickey.location}, issuer {@code mp.jwt.verify.issuer}, expiry. Keys are cached and fetched again when a token names a key id not seen yet (auth-service rotated).
 */
@ApplicationScoped
public class HelidonTokenVerifier implements TokenVerifier {

    static final int MAX_VERIFIED_TOKENS = 10_000;

    private final String jwksLocation;
    private final String issuer;
    /** Unknown key ids trigger a fetch at most this often, so garbage tokens cannot hammer auth-service. */
    private final Duration minRefetchInterval;
    private volatile JwkKeys keys;
    private volatile Instant lastFetch = Instant.EPOCH;

    /**
     * Tokens whose signature and claims were verified, until they expire. A client sends the same token with every
     * call for its whole lifetime, and the RSA verification was about a tenth of a quiz answer's CPU. Bounded: when
     * full it starts over (a cache miss only costs one verification).
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final Clock clock;

    private record Verified(Caller caller, Instant expiresAt) {
    }

    @Inject
    HelidonTokenVerifier(@ConfigProperty(name = "mp.jwt.verify.publickey.location") String jwksLocation,
                         @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
                         @ConfigProperty(name = "pawfiler.security.jwks-refetch-interval", defaultValue = "PT10S")
                         Duration minRefetchInterval) {
        this(jwksLocation, issuer, minRefetchInterval, Clock.systemUTC());
    }

    HelidonTokenVerifier(String jwksLocation, String issuer, Duration minRefetchInterval, Clock clock) {
        this.jwksLocation = jwksLocation;
        this.issuer = issuer;
        this.minRefetchInterval = minRefetchInterval;
        this.clock = clock;
    }

    /**
     * The key ids auth-service publishes, fetched again first when {@code wantedKeyId} is not among them (subject
     * to the refetch interval). Lets MP JWT, which loads the JWKS only once, learn about rotated keys.
     */
    public java.util.Set<String> keyIdsIncluding(String wantedKeyId) {
        return keysFor(wantedKeyId).keys().stream()
                .map(jwk -> jwk.keyId())
                .filter(java.util.Objects::nonNull)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    public Caller verify(String token) {
        Verified known = verified.get(token);
        if (known != null) {
            if (clock.instant().isBefore(known.expiresAt())) {
                return known.caller();
            }
            verified.remove(token);
            throw ApiException.unauthenticated("token expired");
        }
        Verified fresh = verifyNow(token);
        if (verified.size() >= MAX_VERIFIED_TOKENS) {
            verified.clear();
        }
        verified.put(token, fresh);
        return fresh.caller();
    }

    private Verified verifyNow(String token) {
        SignedJwt signed;
        try {
            signed = SignedJwt.parseToken(token);
        } catch (RuntimeException e) {
            throw ApiException.unauthenticated("malformed token");
        }
        Jwt jwt = signed.getJwt();
        if (!"RS256".equals(jwt.algorithm().orElse(""))) {
            throw ApiException.unauthenticated("token must be signed with RS256");
        }
        JwkKeys current = keysFor(jwt.keyId().orElse(null));
        if (!signed.verifySignature(current).isValid()) {
            throw ApiException.unauthenticated("invalid token signature");
        }
        if (!jwt.validate(issuer, (String) null).isValid()) {
            throw ApiException.unauthenticated("token expired, not yet valid or from another issuer");
        }
        if (jwt.expirationTime().isEmpty()) {
            throw ApiException.unauthenticated("token has no expiry");
        }
        String subject = jwt.subject().filter(s -> !s.isBlank())
                .orElseThrow(() -> ApiException.unauthenticated("token has no subject"));
        List<String> groups = jwt.userGroups().orElse(List.of());
        return new Verified(new Caller(subject, new HashSet<>(groups)), jwt.expirationTime().get());
    }

    private JwkKeys keysFor(String keyId) {
        JwkKeys known = keys;
        if (known != null && (keyId == null || known.forKeyId(keyId).isPresent())) {
            return known;
        }
        synchronized (this) {
            if (keys == null || (!Instant.now().isBefore(lastFetch.plus(minRefetchInterval))
                    && keyId != null && keys.forKeyId(keyId).isEmpty())) {
                keys = fetch();
                lastFetch = Instant.now();
            }
            return keys;
        }
    }

    private JwkKeys fetch() {
        try (InputStream in = open(jwksLocation)) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return JwkKeys.builder().json(Jsons.parseObject(json)).build();
        } catch (IOException | RuntimeException e) {
            throw ApiException.unavailable("cannot load the token keys from " + jwksLocation);
        }
    }

    private static InputStream open(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            return Optional.ofNullable(HelidonTokenVerifier.class.getClassLoader()
                            .getResourceAsStream(location.substring("classpath:".length())))
                    .orElseThrow(() -> new IOException("no resource " + location));
        }
        var connection = URI.create(location).toURL().openConnection();
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(5000);
        return connection.getInputStream();
    }
}
