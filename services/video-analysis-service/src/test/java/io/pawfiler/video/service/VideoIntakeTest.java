package io.pawfiler.video.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;
import io.pawfiler.video.pipeline.TestVideos;
import io.pawfiler.video.store.VideoStorage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoIntakeTest {

    @TempDir
    Path directory;

    private VideoIntake intake;
    private Path stored;

    @BeforeEach
    void intakeOverATemporaryDirectory() throws IOException {
        stored = Files.createDirectories(directory.resolve("stored"));
        intake = new VideoIntake();
        intake.storage = new VideoStorage() {
            @Override
            public String store(Path verifiedFile, String sha256) throws IOException {
                Files.move(verifiedFile, stored.resolve(sha256));
                return sha256;
            }

            @Override
            public Path open(String storageKey) {
                return stored.resolve(storageKey);
            }

            @Override
            public Path newTempFile() throws IOException {
                return Files.createTempFile(directory, "upload", ".part");
            }
        };
        intake.maxBytes = 10_000_000;
        intake.maxDuration = Duration.ofMinutes(5);
        intake.probeWait = Duration.ofMillis(200);
    }

    @Test
    void whenEveryProbeSlotIsTakenAnUploadIsToldToRetryAndLeavesNoFileBehind() throws IOException {
        Path video = TestVideos.encode(directory, "clip", TestVideos.image("astronaut.png"), TestVideos.Format.H264_MP4,
                320, 240, 1);
        intake.probes.acquireUninterruptibly(VideoIntake.CONCURRENT_PROBES);

        ApiException refused;
        try (InputStream in = Files.newInputStream(video)) {
            refused = assertThrows(ApiException.class, () -> intake.accept(in));
        }

        assertEquals(ErrorKind.UNAVAILABLE, refused.kind());  // 503 / UNAVAILABLE, never INTERNAL
        assertTrue(refused.retryAfter().isPresent());
        try (var left = Files.list(directory)) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().endsWith(".part")).count());
        }
        try (var left = Files.list(stored)) {
            assertEquals(0, left.count());
        }

        intake.probes.release(VideoIntake.CONCURRENT_PROBES);
        try (InputStream in = Files.newInputStream(video)) {
            assertEquals(1, intake.accept(in).probe().width() / 320);  // with a free slot the same upload is taken
        }
    }
}
