package io.pawfiler.platform.security;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.grpc.GrpcErrors;

/**
 * Every gRPC method of a service requires a valid bearer token, except those listed in
 * {@code pawfiler.security.public-grpc-methods} (e.g. {@code auth.AuthService/Login}). The verified caller is put
 * into the call's context for {@link CallerContext}. Health and reflection are registered outside this chain.
 */
@ApplicationScoped
@Priority(100)
public class GrpcAuthentication implements ServerInterceptor {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final TokenVerifier verifier;
    private final Set<String> publicMethods;

    @Inject
    GrpcAuthentication(TokenVerifier verifier,
                       @ConfigProperty(name = "pawfiler.security.public-grpc-methods") Optional<String> publicMethods) {
        this.verifier = verifier;
        this.publicMethods = publicMethods.stream()
                .flatMap(list -> Arrays.stream(list.split(",")))
                .map(String::trim)
                .filter(method -> !method.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        if (publicMethods.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        String authorization = headers.get(AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return reject(call, "a bearer access token is required");
        }
        String token = authorization.substring(7).trim();
        Caller caller;
        try {
            caller = verifier.verify(token);
        } catch (ApiException e) {
            return reject(call, e.getMessage());
        }
        return Contexts.interceptCall(Context.current()
                .withValue(CallerContext.GRPC_CALLER, caller).withValue(CallerContext.GRPC_BEARER_TOKEN, token), call, headers, next);
    }

    private static <Q, R> ServerCall.Listener<Q> reject(ServerCall<Q, R> call, String reason) {
        return GrpcErrors.refuse(call, Status.UNAUTHENTICATED.withDescription(reason));
    }
}
