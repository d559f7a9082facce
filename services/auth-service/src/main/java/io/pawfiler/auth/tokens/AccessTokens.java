package io.pawfiler.auth.tokens;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Mints the RS256 access tokens every service accepts (MP JWT claims: {@code iss}, {@code sub} = user id,
 * {@code upn}, {@code groups}, {@code jti}, {@code iat}, {@code exp}; {@code kid} in the header).
 */
@ApplicationScoped
public class AccessTokens {

    /** A signed token and when it stops being valid. */
    public record Issued(String token, Instant expiresAt, Duration lifetime) {
    }

    private final SigningKeys keys;
    private final String issuer;
    private final Duration lifetime;

    @Inject
    AccessTokens(SigningKeys keys,
                 @ConfigProperty(name = "pawfiler.auth.issuer") String issuer,
                 @ConfigProperty(name = "pawfiler.auth.access-token-ttl") Duration lifetime) {
        this.keys = keys;
        this.issuer = issuer;
        this.lifetime = lifetime;
    }

    public Issued issue(String userId, String email, List<String> groups, Instant now) {
        Instant expiresAt = now.plus(lifetime);
        SigningKeys.Ring ring = keys.ring();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(userId)
                .claim("upn", email)
                .claim("groups", groups)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(ring.signing().getKeyID())
                .type(JOSEObjectType.JWT)
                .build();
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new RSASSASigner(ring.signing()));
            return new Issued(jwt.serialize(), expiresAt, lifetime);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
    }
}
