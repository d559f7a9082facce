package io.pawfiler.platform.security;

import java.util.Optional;

import io.grpc.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.pawfiler.platform.errors.ApiException;

/**
 * The caller of the current request, for gRPC calls (set by {@link GrpcAuthentication}) and JAX-RS requests
 * (MP JWT's {@link JsonWebToken}) alike, so business code asks one question in both.
 */
@ApplicationScoped
public class CallerContext {

    static final Context.Key<Caller> GRPC_CALLER = Context.key("pawfiler-caller");
    static final Context.Key<String> GRPC_BEARER_TOKEN = Context.key("pawfiler-bearer-token");

    private final Instance<JsonWebToken> restToken;

    @Inject
    CallerContext(Instance<JsonWebToken> restToken) {
        this.restToken = restToken;
    }

    public Optional<Caller> current() {
        Caller grpcCaller = GRPC_CALLER.get();
        if (grpcCaller != null) {
            return Optional.of(grpcCaller);
        }
        try {
            JsonWebToken jwt = restToken.get();
            if (jwt == null || jwt.getSubject() == null) {
                return Optional.empty();
            }
            return Optional.of(new Caller(jwt.getSubject(), jwt.getGroups() == null ? java.util.Set.of() : jwt.getGroups()));
        } catch (RuntimeException noRequestOrNoToken) {
            return Optional.empty();
        }
    }

    /**
     * The verified access token of the current request, to forward when a call on the caller's behalf goes to
     * another service (which verifies it again: zero trust).
     */
    public Optional<String> bearerToken() {
        String grpcToken = GRPC_BEARER_TOKEN.get();
        if (grpcToken != null) {
            return Optional.of(grpcToken);
        }
        try {
            JsonWebToken jwt = restToken.get();
            return jwt == null ? Optional.empty() : Optional.ofNullable(jwt.getRawToken());
        } catch (RuntimeException noRequestOrNoToken) {
            return Optional.empty();
        }
    }

    /** The caller, or UNAUTHENTICATED. */
    public Caller require() {
        return current().orElseThrow(() -> ApiException.unauthenticated("a valid access token is required"));
    }

}
