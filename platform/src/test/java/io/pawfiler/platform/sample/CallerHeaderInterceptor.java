package io.pawfiler.platform.sample;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/** Puts a request header into the call context: proves interceptors run and see the request's metadata. */
@ApplicationScoped
public class CallerHeaderInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> HEADER = Metadata.Key.of("x-sample-caller", Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<String> CALLER = Context.key("sample-caller");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String caller = headers.get(HEADER);
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller == null ? "" : caller), call, headers, next);
    }
}
