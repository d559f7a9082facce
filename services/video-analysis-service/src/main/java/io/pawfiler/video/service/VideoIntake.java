package io.pawfiler.video.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.video.pipeline.FrameSampler;
import io.pawfiler.video.store.VideoStorage;

/**
 * Accepts an upload: streams it to a scratch file (never whole in memory) while hashing and counting, enforces the
 * size limit as it goes, checks the container's magic bytes and that FFmpeg finds a decodable video stream within
 * the duration limit, then stores it content-addressed. Anything rejected leaves no file behind.
 */
@ApplicationScoped
public class VideoIntake {

    /** A stored, verified upload. */
    public record Accepted(String storageKey, String sha256, long sizeBytes, FrameSampler.Probe probe) {
    }

    /** Uploads probed by FFmpeg at once; more wait up to {@link #probeWait}, then are told to retry. */
    static final int CONCURRENT_PROBES = 2;
    static final Duration PROBE_WAIT = Duration.ofSeconds(10);
    static final Duration RETRY_AFTER_SHORTAGE = Duration.ofSeconds(5);

    final Semaphore probes = new Semaphore(CONCURRENT_PROBES);
    Duration probeWait = PROBE_WAIT;

    @Inject
    VideoStorage storage;

    @Inject
    @ConfigProperty(name = "pawfiler.video.max-upload-bytes")
    long maxBytes;

    @Inject
    @ConfigProperty(name = "pawfiler.video.max-duration")
    Duration maxDuration;

    /** A sink for the chunks of a streamed upload. */
    public final class Upload implements AutoCloseable {
        private final Path file;
        private final DigestOutputStream out;
        private long size;
        private boolean done;

        private Upload() throws IOException {
            this.file = storage.newTempFile();
            this.out = new DigestOutputStream(Files.newOutputStream(file), sha256());
        }

        public void write(byte[] chunk) {
            size += chunk.length;
            if (size > maxBytes) {
                throw ApiException.invalidArgument("video", "is larger than the limit of " + maxBytes + " bytes");
            }
            try {
                out.write(chunk);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Verifies and stores what was written. */
        public Accepted finish() {
            try {
                out.close();
                if (size == 0) {
                    throw ApiException.invalidArgument("video", "is empty");
                }
                checkMagicBytes(file);
                FrameSampler.Probe probe = probe(file);
                if (probe.durationMicros() > maxDuration.toNanos() / 1000) {
                    throw ApiException.invalidArgument("video", "is longer than " + maxDuration.toSeconds() + " s");
                }
                String sha = HexFormat.of().formatHex(out.getMessageDigest().digest());
                String key = storage.store(file, sha);
                done = true;
                return new Accepted(key, sha, size, probe);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Deletes the scratch file unless it was stored. */
        @Override
        public void close() {
            try {
                out.close();
                if (!done) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * FFmpeg's look at an upload, a few at a time. Probing allocates native memory: when that is short (or too many
     * uploads are being probed), the caller is told to retry (503 / UNAVAILABLE with Retry-After), never a 500.
     */
    private FrameSampler.Probe probe(Path file) {
        boolean admitted;
        try {
            admitted = probes.tryAcquire(probeWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("the service is shutting down", RETRY_AFTER_SHORTAGE);
        }
        if (!admitted) {
            throw ApiException.unavailable("too many uploads are being checked at once; retry shortly",
                    RETRY_AFTER_SHORTAGE);
        }
        try {
            return FrameSampler.probe(file);
        } catch (FrameSampler.UnreadableVideoException e) {
            throw ApiException.invalidArgument("video", "is not a video FFmpeg can decode (" + e.getMessage() + ")");
        } catch (OutOfMemoryError e) {
            throw ApiException.unavailable("the service is short of memory; retry shortly", RETRY_AFTER_SHORTAGE);
        } finally {
            probes.release();
        }
    }

    /** The size limit, for refusing a declared size early (e.g. a download's Content-Length). */
    public long maxBytes() {
        return maxBytes;
    }

    public Upload begin() {
        try {
            return new Upload();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Convenience for a whole stream (REST multipart). */
    public Accepted accept(InputStream in) {
        try (Upload upload = begin()) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) > 0) {
                upload.write(read == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, read));
            }
            return upload.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** MP4/MOV ("ftyp"), Matroska/WebM (EBML), AVI (RIFF…AVI), MPEG-TS (0x47 sync), MPEG-PS, FLV, Ogg. */
    static void checkMagicBytes(Path file) throws IOException {
        byte[] head = new byte[12];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        boolean video = n >= 12 && (
                (head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p')
                        || ((head[0] & 0xFF) == 0x1A && (head[1] & 0xFF) == 0x45 && (head[2] & 0xFF) == 0xDF && (head[3] & 0xFF) == 0xA3)
                        || (head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F' && head[8] == 'A' && head[9] == 'V' && head[10] == 'I')
                        || ((head[0] & 0xFF) == 0x47)
                        || (head[0] == 0 && head[1] == 0 && (head[2] & 0xFF) == 1 && (head[3] & 0xFF) == 0xBA)
                        || (head[0] == 'F' && head[1] == 'L' && head[2] == 'V')
                        || (head[0] == 'O' && head[1] == 'g' && head[2] == 'g' && head[3] == 'S'));
        if (!video) {
            throw ApiException.invalidArgument("video", "is not a video container (unrecognised file signature)");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
