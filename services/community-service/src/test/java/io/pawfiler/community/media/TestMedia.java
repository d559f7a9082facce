package io.pawfiler.community.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Tiny real files made with ffmpeg ({@code src/test/resources/media/}): 16x16 red, one frame for the videos
 * (H.264 in mp4/mov, VP9 in webm/mkv).
 */
final class TestMedia {

    private TestMedia() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = TestMedia.class.getResourceAsStream("/media/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test file media/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
