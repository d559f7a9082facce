package io.pawfiler.platform.security;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.platform.errors.ApiException;

/**
 * {@link TokenVerifier} on Nimbus JOSE + JWT, for runtimes whose MP JWT offers no portable parser (Open Liberty):
 * RS256 only, signature against auth-service's JWKS ({@code mp.jwt.verify.publickey.location}, fetched again when a
 * token names an unknown key id, at most once per refetch interval), issuer {@code mp.jwt.verify.issuer}, expiry and
 * subject required.
 */
@ApplicationScoped
public class JwksTokenVerifier implements TokenVerifier {

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    @Inject
    JwksTokenVerifier(@ConfigProperty(name = "mp.jwt.verify.publickey.location") String jwksLocation,
                      @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
                      @ConfigProperty(name = "pawfiler.security.jwks-refetch-interval", defaultValue = "PT10S")
                      Duration minRefetchInterval) throws MalformedURLException {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(URI.create(jwksLocation).toURL())
                .rateLimited(minRefetchInterval.toMillis())
                .build();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp")));
    }

    @Override
    public Caller verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw ApiException.unauthenticated("malformed token");
        } catch (BadJOSEException e) {
            throw ApiException.unauthenticated("invalid token: " + e.getMessage());
        } catch (JOSEException e) {
            throw ApiException.unavailable("cannot load the token keys");
        }
        String subject = Optional.ofNullable(claims.getSubject()).filter(s -> !s.isBlank())
                .orElseThrow(() -> ApiException.unauthenticated("token has no subject"));
        List<String> groups;
        try {
            groups = Optional.ofNullable(claims.getStringListClaim("groups")).orElse(List.of());
        } catch (ParseException e) {
            throw ApiException.unauthenticated("token groups must be a list of strings");
        }
        return new Caller(subject, new HashSet<>(groups));
    }
}
