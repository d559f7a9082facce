package io.pawfiler.platform.grpc;

import java.nio.charset.StandardCharsets;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Makes every status a call ends with writable by Helidon 4.1.2, whose gRPC server puts the description into the
 * {@code grpc-message} trailer as it is: a non-ASCII character (a message quoting the caller's input, say a title
 * with combining marks) crashed its HPACK Huffman encoder (ArrayIndexOutOfBoundsException), and a header over its
 * 4096-byte table size ("Cannot add header record, max table size too low", e.g. a message quoting a 70 000
 * character value, also inside {@code grpc-status-details-bin}) failed too: either way the call was never closed and
 * the client waited for its deadline. Here the description is percent-encoded as the gRPC spec asks (clients decode
 * it) and bounded, and an oversized status detail is cut down. Outermost interceptor, so refusals from the other
 * interceptors and from {@link CheckedRequests} pass through it too.
 */
@ApplicationScoped
@Priority(10)
public class SafeStatusMessages implements ServerInterceptor {

    /** Encoded characters of {@code grpc-message}: well under the 4096-byte header table with the other trailers. */
    static final int MAX_ENCODED_MESSAGE = 1024;
    /** Bytes of {@code grpc-status-details-bin} before base64 (which adds a third). */
    static final int MAX_DETAILS_BYTES = 1536;
    private static final int MAX_DETAIL_TEXT = 200;
    private static final Metadata.Key<byte[]> DETAILS =
            Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                super.close(safe(status), safe(trailers));
            }
        }, headers);
    }

    static Status safe(Status status) {
        String description = status.getDescription();
        return description == null ? status : status.withDescription(wireMessage(description));
    }

    /**
     * The description as {@code grpc-message} carries it: UTF-8, every byte outside printable ASCII and every
     * {@code %} as {@code %XX}; cut (at a character boundary, marked with "...") once the encoding passes
     * {@link #MAX_ENCODED_MESSAGE}.
     */
    static String wireMessage(String description) {
        StringBuilder encoded = new StringBuilder();
        for (int i = 0; i < description.length(); ) {
            int codePoint = description.codePointAt(i);
            String character = new String(Character.toChars(codePoint));
            StringBuilder piece = new StringBuilder();
            for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
                if (b >= 0x20 && b < 0x7F && b != '%') {
                    piece.append((char) b);
                } else {
                    piece.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            }
            if (encoded.length() + piece.length() > MAX_ENCODED_MESSAGE - 3) {
                return encoded.append("...").toString();
            }
            encoded.append(piece);
            i += Character.charCount(codePoint);
        }
        return encoded.toString();
    }

    /** The trailers with an oversized {@code google.rpc.Status} detail cut down to its short texts. */
    static Metadata safe(Metadata trailers) {
        if (trailers == null) {
            return new Metadata();
        }
        byte[] details = trailers.get(DETAILS);
        if (details == null || details.length <= MAX_DETAILS_BYTES) {
            return trailers;
        }
        trailers.removeAll(DETAILS);
        try {
            com.google.rpc.Status status = com.google.rpc.Status.parseFrom(details);
            com.google.rpc.Status.Builder shorter = com.google.rpc.Status.newBuilder().setCode(status.getCode())
                    .setMessage(cut(status.getMessage()));
            for (Any detail : status.getDetailsList()) {
                if (detail.is(BadRequest.class)) {
                    BadRequest.Builder badRequest = BadRequest.newBuilder();
                    for (BadRequest.FieldViolation violation : detail.unpack(BadRequest.class).getFieldViolationsList()) {
                        badRequest.addFieldViolations(BadRequest.FieldViolation.newBuilder()
                                .setField(cut(violation.getField())).setDescription(cut(violation.getDescription())));
                    }
                    shorter.addDetails(Any.pack(badRequest.build()));
                } else if (detail.getSerializedSize() < MAX_DETAILS_BYTES / 4) {
                    shorter.addDetails(detail);
                }
            }
            byte[] bounded = shorter.build().toByteArray();
            if (bounded.length <= MAX_DETAILS_BYTES) {
                trailers.put(DETAILS, bounded);
            }
        } catch (InvalidProtocolBufferException e) {
            // not a google.rpc.Status: dropped, the code and message still go out
        }
        return trailers;
    }

    private static String cut(String text) {
        if (text.length() <= MAX_DETAIL_TEXT) {
            return text;
        }
        int end = text.offsetByCodePoints(0, text.codePointCount(0, MAX_DETAIL_TEXT - 1));
        return text.substring(0, end) + "...";
    }
}
