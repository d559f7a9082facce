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

    /** The caller, or UNAUTHENTICATED. */
    public Caller require() {
        return current().orElseThrow(() -> ApiException.unauthenticated("a valid access token is required"));
    }

}
