package io.pawfiler.platform.grpc;

import java.lang.reflect.Field;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.stub.StreamObserver;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Works around a Helidon 4.1.2 gRPC server bug: a call that fails before sending any message gets a
 * "trailers-only" response without the HTTP {@code :status}, which clients reject ("Missing HTTP status code",
 * INTERNAL). Sending the response headers first turns it into an ordinary headers + trailers response.
 * grpc-java's stream observer has no public way to send headers alone, hence the reflection, kept to this class.
 *
 * <p>Only where the runtime needs it ({@code pawfiler.grpc.headers-before-errors}, true by default): Open Liberty's
 * servlet-based gRPC loses the trailers, and with them the status, of a response whose headers went out first.
 */
final class HeadersFirst {

    private static final System.Logger LOGGER = System.getLogger(HeadersFirst.class.getName());
    private static volatile Boolean wanted;

    private HeadersFirst() {
    }

    /** Sends the call's (empty) response headers, where the runtime wants them before an error. */
    static void send(ServerCall<?, ?> call) {
        if (wanted()) {
            call.sendHeaders(new Metadata());
        }
    }

    static void send(StreamObserver<?> responses) {
        if (!wanted()) {
            return;
        }
        try {
            Field sentHeaders = field(responses.getClass(), "sentHeaders");
            Field call = field(responses.getClass(), "call");
            if (sentHeaders == null || call == null || sentHeaders.getBoolean(responses)) {
                return;
            }
            ((ServerCall<?, ?>) call.get(responses)).sendHeaders(new Metadata());
            sentHeaders.setBoolean(responses, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOGGER.log(System.Logger.Level.DEBUG, "could not send gRPC headers before the error", e);
        }
    }

    private static boolean wanted() {
        Boolean known = wanted;
        if (known == null) {
            known = ConfigProvider.getConfig().getOptionalValue("pawfiler.grpc.headers-before-errors", Boolean.class)
                    .orElse(true);
            wanted = known;
        }
        return known;
    }

    private static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        return null;
    }
}
