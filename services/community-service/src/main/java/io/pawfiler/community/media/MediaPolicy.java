package io.pawfiler.community.media;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.platform.errors.ApiException;

/**
 * What a post's media may be: an uploaded file ({@code file_content}) of an accepted type, recognised by its bytes,
 * within the size limit of its kind; or a link ({@code media_url}) to media elsewhere with its {@code media_type}.
 * Every refusal is INVALID_ARGUMENT naming the request field.
 */
@ApplicationScoped
public class MediaPolicy {

    public static final String FILE_CONTENT = "file_content";
    public static final String MEDIA_URL = "media_url";
    public static final String MEDIA_TYPE = "media_type";

    /** The database column's width ({@code posts.media_url VARCHAR(2048)}). */
    public static final int MAX_URL_LENGTH = 2048;

    /** A link to media hosted elsewhere, checked. */
    public record ExternalMedia(String url, MediaKind kind) {
    }

    private final long maxImageBytes;
    private final long maxVideoBytes;

    @Inject
    public MediaPolicy(@ConfigProperty(name = "pawfiler.community.media.max-image-bytes", defaultValue = "10485760")
                       long maxImageBytes,
                       @ConfigProperty(name = "pawfiler.community.media.max-video-bytes", defaultValue = "104857600")
                       long maxVideoBytes) {
        if (maxImageBytes <= 0 || maxVideoBytes <= 0) {
            throw new IllegalArgumentException("media size limits must be positive");
        }
        this.maxImageBytes = maxImageBytes;
        this.maxVideoBytes = maxVideoBytes;
    }

    public long maxBytes(MediaKind kind) {
        return kind == MediaKind.IMAGE ? maxImageBytes : maxVideoBytes;
    }

    /** The most any upload may be: a caller reading a stream can stop (and refuse) beyond this. */
    public long maxUploadBytes() {
        return Math.max(maxImageBytes, maxVideoBytes);
    }

    /**
     * The format of an uploaded file, from its bytes. The declared name and content type only make the messages
     * clearer: a PNG named {@code clip.mp4} is a PNG.
     */
    public MediaFormat checkContent(byte[] content, String declaredFileName, String declaredContentType) {
        String what = describe(declaredFileName, declaredContentType);
        if (content == null || content.length == 0) {
            throw ApiException.invalidArgument(FILE_CONTENT, what + "is empty");
        }
        byte[] head = content.length <= MediaFormats.HEAD_BYTES ? content
                : Arrays.copyOf(content, MediaFormats.HEAD_BYTES);
        MediaFormat format = MediaFormats.sniff(head).orElseThrow(() -> ApiException.invalidArgument(FILE_CONTENT,
                what + "is not a supported media type (judged by its content, not its name); accepted: "
                        + MediaFormats.describeAccepted()));
        long limit = maxBytes(format.kind());
        if (content.length > limit) {
            throw ApiException.invalidArgument(FILE_CONTENT, what + "is " + content.length + " bytes; "
                    + format.kind().wireName() + "s may be at most " + human(limit) + " (" + limit + " bytes)");
        }
        return format;
    }

    /**
     * A link to media elsewhere. It is shown to readers as {@code <img src>}/{@code <video src>} and never fetched by
     * this service, so the rule is about what a browser should be handed: an absolute http(s) URL without
     * credentials in it (they would be shown to every reader).
     */
    public ExternalMedia checkExternal(String mediaUrl, String mediaType) {
        return new ExternalMedia(checkUrl(mediaUrl), checkMediaType(mediaType));
    }

    /** {@code media_type}: "image" or "video". */
    public MediaKind checkMediaType(String mediaType) {
        return MediaKind.fromWireName(mediaType).orElseThrow(() -> ApiException.invalidArgument(MEDIA_TYPE,
                "must be \"image\" or \"video\"" + (mediaType == null || mediaType.isEmpty() ? ""
                        : ", not \"" + abbreviate(mediaType) + "\"")));
    }

    static String checkUrl(String mediaUrl) {
        if (mediaUrl == null || mediaUrl.isBlank()) {
            throw ApiException.invalidArgument(MEDIA_URL, "is empty");
        }
        if (mediaUrl.length() > MAX_URL_LENGTH) {
            throw ApiException.invalidArgument(MEDIA_URL, "is " + mediaUrl.length() + " characters long; at most "
                    + MAX_URL_LENGTH + " are allowed");
        }
        URI uri;
        try {
            uri = new URI(mediaUrl);  // rejects spaces and control characters too
        } catch (URISyntaxException e) {
            throw ApiException.invalidArgument(MEDIA_URL, "is not a valid URL: " + e.getReason());
        }
        String scheme = Optional.ofNullable(uri.getScheme()).map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.invalidArgument(MEDIA_URL, "must be an absolute http:// or https:// URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.invalidArgument(MEDIA_URL, "must not contain a user name or password");
        }
        // no host: "http:/x", "http:///x", or an authority Java cannot read as a host, e.g. "a@b@host"
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ApiException.invalidArgument(MEDIA_URL, "must name a host (http(s)://host/path)");
        }
        return uri.toString();
    }

    private static String describe(String fileName, String contentType) {
        boolean named = fileName != null && !fileName.isBlank();
        boolean typed = contentType != null && !contentType.isBlank();
        if (!named && !typed) {
            return "the file ";
        }
        return "the file " + (named ? "\"" + abbreviate(fileName) + "\" " : "")
                + (typed ? "(sent as " + abbreviate(contentType) + ") " : "");
    }

    private static String abbreviate(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 80 ? printable : printable.substring(0, 77) + "...";
    }

    /** 10485760 → "10 MiB"; 1536 → "1.5 KiB". */
    static String human(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        if (unit == 0) {
            return bytes + " bytes";
        }
        String number = value == Math.rint(value) ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
        return number + " " + units[unit];
    }
}
