package io.pawfiler.platform.grpc;

import java.nio.charset.StandardCharsets;

import io.grpc.InternalMetadata;
import io.grpc.Metadata;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class PlatformInterceptorsTest {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Test
    void headerNamesSpelledLikeHttp11BecomeLowerCaseMetadataNames() {
        // what Liberty's servlet transport builds from the request: the names as the servlet container spells them
        Metadata fromLiberty = InternalMetadata.newMetadata(
                ascii("Authorization"), ascii("Bearer a.b.c"),
                ascii("User-Agent"), ascii("grpc-java"),
                ascii("grpc-timeout"), ascii("30S"));
        assertNull(fromLiberty.get(AUTHORIZATION), "no Metadata.Key finds a mixed-case name");

        Metadata fixed = PlatformInterceptors.lowerCaseNames(fromLiberty);

        assertEquals("Bearer a.b.c", fixed.get(AUTHORIZATION));
        assertEquals("grpc-java", fixed.get(Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER)));
        assertEquals("30S", fixed.get(Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER)));
    }

    @Test
    void lowerCaseHeadersAreLeftAsTheyAre() {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer a.b.c");
        assertSame(headers, PlatformInterceptors.lowerCaseNames(headers));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
