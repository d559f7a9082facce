package io.pawfiler.community.media;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Media under {@code pawfiler.community.media.storage-dir}/ab/abcdef….ext (the first two hex digits fan the
 * directory out), written through {@code incoming/} on the same volume so a file appears under its key whole or not
 * at all.
 */
@ApplicationScoped
public class LocalMediaStorage implements MediaStorage {

    private final Path root;

    @Inject
    public LocalMediaStorage(@ConfigProperty(name = "pawfiler.community.media.storage-dir",
            defaultValue = ".pawfiler/community-media") String root) {
        this.root = Path.of(root).toAbsolutePath().normalize();
    }

    @Override
    public StoredMedia store(byte[] content, MediaFormat format) {
        if (MediaFormats.sniff(content).filter(format::equals).isEmpty()) {
            throw new IllegalArgumentException("these bytes are not " + format.contentType());
        }
        String key = MediaStorage.keyOf(content, format);
        StoredMedia stored = new StoredMedia(key, format, content.length);
        Path target = path(key);
        try {
            if (Files.isRegularFile(target) && Files.size(target) == content.length) {
                return stored;  // already stored: the same bytes
            }
            Files.createDirectories(target.getParent());
            Path incoming = Files.createDirectories(root.resolve("incoming"));
            Path temp = Files.createTempFile(incoming, "media-", ".part");
            try {
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    ByteBuffer bytes = ByteBuffer.wrap(content);
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                    out.force(true);  // on disk before it is visible under its key
                }
                // a rename: a concurrent store of the same bytes either finds no file or a complete one
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException storedConcurrently) {
                // same key, same bytes: nothing to do
            } finally {
                Files.deleteIfExists(temp);
            }
            return stored;
        } catch (IOException e) {
            throw new UncheckedIOException("could not store media " + key, e);
        }
    }

    @Override
    public Optional<MediaFile> open(String key) {
        if (!MediaStorage.isKey(key)) {
            return Optional.empty();
        }
        Optional<MediaFormat> format = MediaFormats.byExtension(key.substring(key.indexOf('.') + 1));
        Path path = path(key);
        if (format.isEmpty() || !Files.isRegularFile(path)) {
            return Optional.empty();
        }
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException deletedMeanwhile) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read media " + key, e);
        }
        return Optional.of(new MediaFile(key, size, format.get().contentType(),
                (offset, length) -> range(path, offset, length)));
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(path(MediaStorage.requireKey(key)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete media " + key, e);
        }
    }

    /** Only for valid keys: they contain no separator or "..", so the path stays under the root. */
    private Path path(String key) {
        return root.resolve(key.substring(0, 2)).resolve(key);
    }

    private static InputStream range(Path path, long offset, long length) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            channel.position(offset);
            return new LimitedInputStream(Channels.newInputStream(channel), length);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Ends after {@code remaining} bytes. */
    private static final class LimitedInputStream extends FilterInputStream {

        private long remaining;

        LimitedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return length == 0 ? 0 : -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (read > 0) {
                remaining -= read;
            }
            return read;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
