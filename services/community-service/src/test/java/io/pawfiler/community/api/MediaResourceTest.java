package io.pawfiler.community.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.Principal;
import java.util.Arrays;
import java.util.Optional;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pawfiler.community.media.LocalMediaStorage;
import io.pawfiler.community.media.MediaFormats;
import io.pawfiler.community.media.MediaUrls;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resource's method called directly (no server): authorisation, caching headers, ranges. */
class MediaResourceTest {

    private static final SecurityContext ANONYMOUS = context(null);
    /** What Helidon hands a @PermitAll request that carried no token: a principal that is not a JWT. */
    private static final SecurityContext HELIDON_ANONYMOUS = context(() -> "<ANONYMOUS>");
    private static final SecurityContext USER = context(new org.eclipse.microprofile.jwt.JsonWebToken() {
        @Override
        public String getName() {
            return "user-1";
        }

        @Override
        public java.util.Set<String> getClaimNames() {
            return java.util.Set.of("sub");
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String claimName) {
            return "sub".equals(claimName) ? (T) "user-1" : null;
        }
    });

    @TempDir
    Path root;

    private final MediaResource resource = new MediaResource();
    private byte[] mp4;
    private String key;
    private String sig;

    @BeforeEach
    void storeAVideo() throws IOException {
        resource.storage = new LocalMediaStorage(root.toString());
        resource.urls = new MediaUrls(Optional.of("a-test-secret-of-at-least-32-characters"), "http://media.test");
        try (InputStream in = getClass().getResourceAsStream("/media/tiny.mp4")) {
            mp4 = in.readAllBytes();
        }
        key = resource.storage.store(mp4, MediaFormats.MP4).key();
        String url = resource.urls.urlFor(key);
        sig = url.substring(url.indexOf("?sig=") + 5);
    }

    @Test
    void signedUrlServesTheWholeFile() {
        Response response = resource.media(key, sig, null, null, null, ANONYMOUS);
        assertEquals(200, response.getStatus());
        assertEquals("video/mp4", response.getMediaType().toString());
        assertEquals(String.valueOf(mp4.length), response.getHeaderString("Content-Length"));
        assertEquals('"' + key.substring(0, 64) + '"', response.getHeaderString("ETag"));
        assertEquals("public, max-age=31536000, immutable", response.getHeaderString("Cache-Control"));
        assertEquals("nosniff", response.getHeaderString("X-Content-Type-Options"));
        assertEquals("bytes", response.getHeaderString("Accept-Ranges"));
        assertArrayEquals(mp4, body(response));
    }

    @Test
    void tokenWithoutSignatureIsEnoughButNotSharedCached() {
        Response response = resource.media(key, null, null, null, null, USER);
        assertEquals(200, response.getStatus());
        assertEquals("private, max-age=31536000, immutable", response.getHeaderString("Cache-Control"));
        assertArrayEquals(mp4, body(response));
    }

    @Test
    void neitherSignatureNorTokenIs401() {
        for (String badSig : new String[] {null, "", sig.substring(1), sig + "x",
                resource.urls.urlFor("0".repeat(64) + ".mp4").replaceAll(".*\\?sig=", "")}) {
            Response response = resource.media(key, badSig, null, null, null, ANONYMOUS);
            assertEquals(401, response.getStatus(), "sig " + badSig);
            assertEquals("application/problem+json", response.getMediaType().toString());
            assertEquals("Bearer", response.getHeaderString("WWW-Authenticate"));
            assertTrue(response.getEntity().toString().contains("\"status\":401"), response.getEntity().toString());
        }
        assertEquals(401, resource.media(key, null, null, null, null, null).getStatus());
        assertEquals(401, resource.media(key, null, null, null, null, HELIDON_ANONYMOUS).getStatus(),
                "a principal that is not a verified token does not count");
    }

    @Test
    void unauthorisedBeforeNotFound() {
        // an unauthorised caller learns nothing about which keys exist
        assertEquals(401, resource.media("1".repeat(64) + ".png", null, null, null, null, ANONYMOUS).getStatus());
        assertEquals(401, resource.media("../../etc/passwd", "x", null, null, null, ANONYMOUS).getStatus());
    }

    @Test
    void unknownOrMalformedKeyIs404() {
        String unknown = "1".repeat(64) + ".png";
        String unknownSig = resource.urls.urlFor(unknown).replaceAll(".*\\?sig=", "");
        ApiException e = assertThrows(ApiException.class, () -> resource.media(unknown, unknownSig, null, null, null,
                ANONYMOUS));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertEquals(ErrorKind.NOT_FOUND, assertThrows(ApiException.class,
                () -> resource.media("../../etc/passwd", null, null, null, null, USER)).kind());
    }

    @Test
    void ifNoneMatchRevalidates() {
        String etag = '"' + key.substring(0, 64) + '"';
        for (String header : new String[] {etag, "W/" + etag, "\"other\", " + etag, "*"}) {
            Response response = resource.media(key, sig, null, null, header, ANONYMOUS);
            assertEquals(304, response.getStatus(), header);
            assertEquals(etag, response.getHeaderString("ETag"));
            assertNull(response.getEntity());
        }
        assertEquals(200, resource.media(key, sig, null, null, "\"other\"", ANONYMOUS).getStatus());
    }

    @Test
    void singleRangeIsPartialContent() {
        Response response = resource.media(key, sig, "bytes=10-19", null, null, ANONYMOUS);
        assertEquals(206, response.getStatus());
        assertEquals("bytes 10-19/" + mp4.length, response.getHeaderString("Content-Range"));
        assertEquals("10", response.getHeaderString("Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(mp4, 10, 20), body(response));

        Response tail = resource.media(key, sig, "bytes=-5", null, null, ANONYMOUS);
        assertEquals("bytes " + (mp4.length - 5) + "-" + (mp4.length - 1) + "/" + mp4.length,
                tail.getHeaderString("Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(mp4, mp4.length - 5, mp4.length), body(tail));

        // what a browser sends first for a <video>: everything from 0, as a range
        Response open = resource.media(key, sig, "bytes=0-", null, null, ANONYMOUS);
        assertEquals(206, open.getStatus());
        assertArrayEquals(mp4, body(open));

        // an end beyond the file is cut to the file
        Response beyond = resource.media(key, sig, "bytes=100-99999999999", null, null, ANONYMOUS);
        assertEquals("bytes 100-" + (mp4.length - 1) + "/" + mp4.length, beyond.getHeaderString("Content-Range"));
    }

    @Test
    void rangeBeyondTheEndIs416() {
        for (String range : new String[] {"bytes=" + mp4.length + "-", "bytes=99999999999999999999-", "bytes=-0"}) {
            Response response = resource.media(key, sig, range, null, null, ANONYMOUS);
            assertEquals(416, response.getStatus(), range);
            assertEquals("bytes */" + mp4.length, response.getHeaderString("Content-Range"));
            assertEquals("application/problem+json", response.getMediaType().toString());
        }
    }

    @Test
    void rangesWeDoNotServeGetTheWholeFile() {
        for (String range : new String[] {"bytes=0-1,5-9", "bytes=9-5", "items=0-1", "bytes=a-b", "bytes"}) {
            Response response = resource.media(key, sig, range, null, null, ANONYMOUS);
            assertEquals(200, response.getStatus(), range);
            assertArrayEquals(mp4, body(response), range);
        }
    }

    @Test
    void ifRangeForAnotherVersionGetsTheWholeFile() {
        String etag = '"' + key.substring(0, 64) + '"';
        assertEquals(206, resource.media(key, sig, "bytes=0-9", etag, null, ANONYMOUS).getStatus());
        assertEquals(200, resource.media(key, sig, "bytes=0-9", "\"other\"", null, ANONYMOUS).getStatus());
        assertEquals(200, resource.media(key, sig, "bytes=0-9", "W/" + etag, null, ANONYMOUS).getStatus());
    }

    @Test
    void rangeParsing() {
        assertEquals(new MediaResource.ByteRange(0, 0), MediaResource.ByteRange.parse("bytes=0-0", 10));
        assertEquals(new MediaResource.ByteRange(0, 9), MediaResource.ByteRange.parse(" Bytes = 0 - ", 10));
        assertEquals(new MediaResource.ByteRange(0, 9), MediaResource.ByteRange.parse("bytes=-20", 10));
        assertEquals(new MediaResource.ByteRange(9, 9), MediaResource.ByteRange.parse("bytes=9-9", 10));
        assertEquals(MediaResource.ByteRange.UNSATISFIABLE, MediaResource.ByteRange.parse("bytes=10-", 10));
        assertEquals(MediaResource.ByteRange.UNSATISFIABLE, MediaResource.ByteRange.parse("bytes=0-", 0));
        assertEquals(MediaResource.ByteRange.WHOLE, MediaResource.ByteRange.parse("bytes=--1", 10));
        assertEquals(MediaResource.ByteRange.WHOLE, MediaResource.ByteRange.parse("bytes=+1-2", 10));
    }

    private static byte[] body(Response response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ((StreamingOutput) response.getEntity()).write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static SecurityContext context(Principal principal) {
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return principal != null && role.equals("user");
            }

            @Override
            public boolean isSecure() {
                return false;
            }

            @Override
            public String getAuthenticationScheme() {
                return principal == null ? null : "MP-JWT";
            }
        };
    }
}
