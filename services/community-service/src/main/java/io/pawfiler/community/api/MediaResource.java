package io.pawfiler.community.api;

import java.io.InputStream;
import java.util.Locale;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.jwt.JsonWebToken;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pawfiler.community.media.MediaFile;
import io.pawfiler.community.media.MediaStorage;
import io.pawfiler.community.media.MediaUrls;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;
import io.pawfiler.platform.rest.Problem;

/**
 * {@code GET /media/{key}}: the media uploaded with posts, at the {@code media_url} a post carries. Browsers load it
 * with {@code <img>}/{@code <video>}, which send no token, so the URL's signature ({@code sig}) is the credential;
 * a caller with a valid access token may fetch any key without one. Content behind a key never changes (it is the
 * SHA-256 of the bytes), hence the strong ETag and the year-long immutable caching.
 */
@Path("/media/{key}")
@RequestScoped
@Tag(name = "media")
public class MediaResource {

    /** A year, the longest max-age caches honour; safe because a key's bytes never change. */
    static final String CACHE_FOR_A_YEAR = "max-age=31536000, immutable";

    @Inject
    MediaStorage storage;

    @Inject
    MediaUrls urls;

    @GET
    @PermitAll  // authorised below: a valid sig or a token
    @Operation(summary = "Read a post's uploaded image or video",
            description = "Use the media_url of a post as it is (its sig query parameter authorises the request), "
                    + "or send a bearer access token instead. Supports a single Range (bytes=a-b, a-, -n) for "
                    + "video seeking and If-None-Match revalidation.")
    @APIResponse(responseCode = "200", description = "the whole file, typed by its content",
            headers = {@Header(name = "ETag", description = "the SHA-256 of the bytes"),
                    @Header(name = "Accept-Ranges", description = "bytes")},
            content = {@Content(mediaType = "image/*", schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = "video/*", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "206", description = "the requested byte range",
            headers = @Header(name = "Content-Range", description = "bytes first-last/size"))
    @APIResponse(responseCode = "304", description = "If-None-Match names this file's ETag: the cached copy is current")
    @APIResponse(responseCode = "401", description = "neither a valid sig nor a valid access token",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "no media under this key",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "416", description = "the range starts beyond the end of the file",
            headers = @Header(name = "Content-Range", description = "bytes */size"),
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response media(
            @Parameter(description = "storage key: <sha256 hex>.<extension>", example =
                    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.png")
            @PathParam("key") String key,
            @Parameter(description = "the signature in the media_url a post carries; not needed with a bearer token")
            @QueryParam("sig") String sig,
            @Parameter(description = "one byte range, e.g. bytes=0-1023; several ranges get the whole file")
            @HeaderParam("Range") String range,
            @Parameter(description = "send Range only if this still is the file's ETag")
            @HeaderParam("If-Range") String ifRange,
            @Parameter(description = "ETags of cached copies")
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @Context SecurityContext security) {
        boolean signed = urls.verify(key, sig);
        if (!signed && !hasVerifiedToken(security)) {
            return unauthorized(sig == null || sig.isEmpty()
                    ? "a signed media URL (the media_url of a post) or an access token is required"
                    : "this media URL's signature is not valid; use the media_url of a post as it is");
        }
        MediaFile file = storage.open(key).orElseThrow(() -> ApiException.notFound("no media under this key"));
        String etag = '"' + file.sha256() + '"';
        // "public" only for the signed URL, which is itself the credential: a response to a token must not be
        // served by a shared cache to a request for the same path without one
        String cacheControl = (signed ? "public, " : "private, ") + CACHE_FOR_A_YEAR;

        if (ifNoneMatch != null && matchesAny(ifNoneMatch, etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag)
                    .header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
        }
        ByteRange requested = range == null || (ifRange != null && !ifRange.trim().equals(etag))
                ? ByteRange.WHOLE  // no range, or one for another version of the file (If-Range)
                : ByteRange.parse(range, file.size());
        if (requested == ByteRange.UNSATISFIABLE) {
            return Response.fromResponse(Problem.of(ErrorKind.INVALID_ARGUMENT, 416,
                            "the range " + abbreviate(range) + " starts beyond the " + file.size() + " bytes of this file"))
                    .header("Content-Range", "bytes */" + file.size())
                    .header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .build();
        }
        boolean partial = requested != ByteRange.WHOLE;
        long first = partial ? requested.first() : 0;
        long length = partial ? requested.length() : file.size();
        // opened when the body is written, and read in chunks: a 100 MB video never sits in memory
        StreamingOutput body = out -> {
            try (InputStream in = file.read(first, length)) {
                in.transferTo(out);
            }
        };
        Response.ResponseBuilder response = Response.status(partial ? 206 : 200)
                .entity(body)
                .type(file.contentType())
                .header(HttpHeaders.CONTENT_LENGTH, length)
                .header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .header("Accept-Ranges", "bytes")
                // served from our origin: a browser must never sniff it into HTML or script
                .header("X-Content-Type-Options", "nosniff");
        if (partial) {
            response.header("Content-Range", "bytes " + first + "-" + requested.last() + "/" + file.size());
        }
        return response.build();
    }

    /** A verified MP JWT (Helidon gives a @PermitAll request without a token an anonymous principal instead). */
    static boolean hasVerifiedToken(SecurityContext security) {
        return security != null && security.getUserPrincipal() instanceof JsonWebToken token && token.getSubject() != null;
    }

    /** 401 with the challenge RFC 9110 asks for (an entity is set, so SecurityProblems leaves it alone). */
    private static Response unauthorized(String detail) {
        return Response.fromResponse(Problem.of(ApiException.unauthenticated(detail)))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    /** If-None-Match: "*" or a list of entity tags, compared weakly (RFC 9110 §13.1.2). */
    static boolean matchesAny(String ifNoneMatch, String etag) {
        for (String tag : ifNoneMatch.split(",")) {
            String candidate = tag.trim();
            if (candidate.startsWith("W/")) {
                candidate = candidate.substring(2);
            }
            if (candidate.equals("*") || candidate.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 37) + "...";
    }

    /**
     * A {@code Range} header against a file of a given size: one satisfiable range, the whole file (no range,
     * several, or one we cannot parse: RFC 9110 lets a server ignore those) or unsatisfiable (416).
     */
    record ByteRange(long first, long last) {

        static final ByteRange WHOLE = new ByteRange(-1, -1);
        static final ByteRange UNSATISFIABLE = new ByteRange(-2, -2);

        long length() {
            return last - first + 1;
        }

        static ByteRange parse(String header, long size) {
            String value = header.trim();
            int equals = value.indexOf('=');
            if (equals < 0 || !value.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
                return WHOLE;
            }
            String spec = value.substring(equals + 1).trim();
            int dash = spec.indexOf('-');
            if (spec.contains(",") || dash < 0) {
                return WHOLE;
            }
            String from = spec.substring(0, dash).trim();
            String to = spec.substring(dash + 1).trim();
            if (from.isEmpty()) {
                // bytes=-n: the last n bytes
                long suffix = digits(to);
                if (suffix < 0) {
                    return WHOLE;
                }
                if (suffix == 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = digits(from);
            long last = to.isEmpty() ? Long.MAX_VALUE : digits(to);
            if (first < 0 || last < 0 || last < first) {
                return WHOLE;
            }
            if (first >= size) {
                return UNSATISFIABLE;
            }
            return new ByteRange(first, Math.min(last, size - 1));
        }

        /** A non-negative decimal (saturating at Long.MAX_VALUE), or -1 when not one. */
        private static long digits(String text) {
            if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return -1;
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooLarge) {
                return Long.MAX_VALUE;
            }
        }
    }
}
