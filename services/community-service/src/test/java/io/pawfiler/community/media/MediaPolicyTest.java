package io.pawfiler.community.media;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaPolicyTest {

    private static final int IMAGE_LIMIT = 1000;
    private static final int VIDEO_LIMIT = 5000;

    private final MediaPolicy policy = new MediaPolicy(IMAGE_LIMIT, VIDEO_LIMIT);

    @Test
    void acceptsEachTypeByItsBytes() {
        assertEquals(MediaFormats.PNG, policy.checkContent(TestMedia.bytes("tiny.png"), "a.png", "image/png"));
        assertEquals(MediaFormats.MP4, policy.checkContent(TestMedia.bytes("tiny.mp4"), null, null));
        assertEquals(MediaFormats.WEBM, policy.checkContent(TestMedia.bytes("tiny.webm"), "", ""));
    }

    @Test
    void theDeclaredNameAndTypeDoNotDecide() {
        assertEquals(MediaFormats.PNG, policy.checkContent(TestMedia.bytes("tiny.png"), "clip.mp4", "video/mp4"));
    }

    @Test
    void emptyIsRefused() {
        ApiException e = refused("file_content", () -> policy.checkContent(new byte[0], "a.png", "image/png"));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        refused("file_content", () -> policy.checkContent(null, null, null));
    }

    @Test
    void unknownTypeListsTheAcceptedOnes() {
        ApiException e = refused("file_content", () -> policy.checkContent(
                "<script>alert(1)</script>".getBytes(), "cat.jpg", "image/jpeg"));
        for (MediaFormat format : MediaFormats.ACCEPTED) {
            assertTrue(e.getMessage().contains(format.extension()), e.getMessage());
        }
        assertTrue(e.getMessage().contains("\"cat.jpg\""), "names the file the client sent: " + e.getMessage());
    }

    @Test
    void imagesAndVideosHaveTheirOwnLimits() {
        byte[] png = TestMedia.bytes("tiny.png");
        byte[] imageAtLimit = Arrays.copyOf(png, IMAGE_LIMIT);  // padding after the signature: still a PNG head
        assertEquals(MediaFormats.PNG, policy.checkContent(imageAtLimit, null, null));

        ApiException e = refused("file_content", () -> policy.checkContent(Arrays.copyOf(png, IMAGE_LIMIT + 1),
                null, null));
        assertTrue(e.getMessage().contains("1001 bytes") && e.getMessage().contains("1000 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("image"), e.getMessage());

        // the same size is fine for a video, whose limit is larger
        byte[] mp4 = TestMedia.bytes("tiny.mp4");
        assertEquals(MediaFormats.MP4, policy.checkContent(Arrays.copyOf(mp4, IMAGE_LIMIT + 1), null, null));
        assertEquals(MediaFormats.MP4, policy.checkContent(Arrays.copyOf(mp4, VIDEO_LIMIT), null, null));
        ApiException video = refused("file_content", () -> policy.checkContent(Arrays.copyOf(mp4, VIDEO_LIMIT + 1),
                null, null));
        assertTrue(video.getMessage().contains("5000 bytes"), video.getMessage());
    }

    @Test
    void defaultLimitsReadWell() {
        MediaPolicy defaults = new MediaPolicy(10_485_760, 104_857_600);
        assertEquals(10_485_760, defaults.maxBytes(MediaKind.IMAGE));
        assertEquals(104_857_600, defaults.maxUploadBytes());
        assertEquals("10 MiB", MediaPolicy.human(10_485_760));
        assertEquals("100 MiB", MediaPolicy.human(104_857_600));
        assertEquals("1.5 KiB", MediaPolicy.human(1536));
    }

    @Test
    void externalMedia() {
        MediaPolicy.ExternalMedia media = policy.checkExternal("https://cdn.example.com/a/b.png?x=1", "image");
        assertEquals("https://cdn.example.com/a/b.png?x=1", media.url());
        assertEquals(MediaKind.IMAGE, media.kind());
        assertEquals(MediaKind.VIDEO, policy.checkExternal("HTTP://example.com/v.mp4", "video").kind());
    }

    @Test
    void mediaUrlMustBeAnAbsoluteHttpUrl() {
        for (String bad : new String[] {"", " ", "/relative/path.png", "example.com/a.png", "ftp://example.com/a.png",
                "javascript:alert(1)", "data:image/png;base64,iVBORw0KGgo=", "file:///etc/passwd",
                "http:///no-host.png", "http://exa mple.com/a.png", "https://example.com/a b.png"}) {
            refused("media_url", () -> policy.checkExternal(bad, "image"));
        }
        refused("media_url", () -> policy.checkExternal(null, "image"));
    }

    @Test
    void mediaUrlMustNotCarryCredentials() {
        ApiException e = refused("media_url", () -> policy.checkExternal("https://user:secret@example.com/a.png", "image"));
        assertTrue(e.getMessage().contains("password"), e.getMessage());
        refused("media_url", () -> policy.checkExternal("https://user@example.com/a.png", "image"));
        refused("media_url", () -> policy.checkExternal("https://a@b@example.com/a.png", "image"));
    }

    @Test
    void mediaUrlLengthLimit() {
        String prefix = "https://example.com/";
        String atLimit = prefix + "a".repeat(MediaPolicy.MAX_URL_LENGTH - prefix.length());
        assertEquals(atLimit, policy.checkExternal(atLimit, "image").url());
        ApiException e = refused("media_url", () -> policy.checkExternal(atLimit + "a", "image"));
        assertTrue(e.getMessage().contains("2048"), e.getMessage());
    }

    @Test
    void mediaTypeIsImageOrVideo() {
        for (String bad : new String[] {"", "IMAGE", "audio", "image/png"}) {
            refused("media_type", () -> policy.checkExternal("https://example.com/a.png", bad));
        }
        refused("media_type", () -> policy.checkMediaType(null));
        // the URL is checked first: with both wrong, the field is media_url
        refused("media_url", () -> policy.checkExternal("ftp://x/a", "audio"));
    }

    private static ApiException refused(String field, Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertEquals(field, e.field().orElse(null), e.getMessage());
        return e;
    }
}
