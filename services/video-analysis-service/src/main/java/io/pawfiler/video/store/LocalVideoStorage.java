package io.pawfiler.video.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Videos under {@code pawfiler.video.storage-dir}/ab/abcdef… (first two hex digits fan the directory out). */
@ApplicationScoped
public class LocalVideoStorage implements VideoStorage {

    private final Path root;

    @Inject
    LocalVideoStorage(@ConfigProperty(name = "pawfiler.video.storage-dir") String root) {
        this.root = Path.of(root).toAbsolutePath();
    }

    @Override
    public String store(Path verifiedFile, String sha256) throws IOException {
        String key = sha256.substring(0, 2) + "/" + sha256;
        Path target = root.resolve(key);
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            Files.deleteIfExists(verifiedFile);  // already stored: same bytes
            return key;
        }
        try {
            Files.move(verifiedFile, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException concurrentSameUpload) {
            Files.deleteIfExists(verifiedFile);
        }
        return key;
    }

    @Override
    public Path open(String storageKey) throws IOException {
        Path path = root.resolve(storageKey).normalize();
        if (!path.startsWith(root) || !Files.isRegularFile(path)) {
            throw new IOException("no stored video " + storageKey);
        }
        return path;
    }

    @Override
    public Path newTempFile() throws IOException {
        Path incoming = root.resolve("incoming");
        Files.createDirectories(incoming);
        return Files.createTempFile(incoming, "upload-", ".part");
    }
}
