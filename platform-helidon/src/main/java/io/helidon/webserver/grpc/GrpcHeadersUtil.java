package io.helidon.webserver.grpc;

import java.util.Base64;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import io.helidon.http.http2.Http2Headers;

import io.grpc.Metadata;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * Pawfiler's replacement for Helidon 4.1.2's class of the same name, which loses every header value: it builds
 * request metadata as {@code name -> name} (so {@code authorization} never reaches a service) and writes response
 * headers and trailers as header <em>names</em> (so any trailer, e.g. {@code grpc-status-details-bin}, breaks the
 * response). Same package and signatures, so Helidon's gRPC handler uses this one: platform comes before Helidon on
 * every service's classpath. {@code GrpcHeadersTest} in platform proves the fix is in effect; drop this class when
 * moving to a Helidon release with the fix.
 */
class GrpcHeadersUtil {

    private GrpcHeadersUtil() {
    }

    /** Copies gRPC metadata (response headers or trailers) into HTTP/2 headers. */
    static void updateHeaders(WritableHeaders<?> writable, Metadata metadata) {
        Base64.Encoder encoder = Base64.getEncoder().withoutPadding();
        for (String name : metadata.keys()) {
            if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                for (byte[] value : metadata.getAll(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER))) {
                    writable.add(HeaderValues.create(HeaderNames.create(name), new String(encoder.encode(value), US_ASCII)));
                }
            } else {
                for (String value : metadata.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER))) {
                    writable.add(HeaderValues.create(HeaderNames.create(name), value));
                }
            }
        }
    }

    /** The request's HTTP/2 headers as gRPC metadata, values included. */
    static Metadata toMetadata(Http2Headers headers) {
        Base64.Decoder decoder = Base64.getDecoder();
        Metadata metadata = new Metadata();
        for (Header header : headers.httpHeaders()) {
            String name = header.name().toLowerCase(java.util.Locale.ROOT);
            if (name.startsWith(":")) {
                continue;
            }
            try {
                for (String value : header.allValues()) {
                    if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                        metadata.put(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER), decoder.decode(value.trim()));
                    } else {
                        metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
                    }
                }
            } catch (IllegalArgumentException notAValidGrpcHeader) {
                // a name gRPC metadata cannot hold, or broken base64: not something a service could use anyway
            }
        }
        return metadata;
    }
}
