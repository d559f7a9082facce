package io.pawfiler.video.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where uploaded videos live, addressed by the SHA-256 of their bytes (the same video uploaded twice is stored
 * once). The local directory is the default; an object store can implement this later.
 */
public interface VideoStorage {

    /**
     * Moves a fully received and verified file into storage under its hash.
     *
     * @return the storage key
     */
    String store(Path verifiedFile, String sha256) throws IOException;

    /** A local path to read the video from (for an object store: a downloaded copy). */
    Path open(String storageKey) throws IOException;

    /** A scratch file on the same volume, for streaming an upload into. */
    Path newTempFile() throws IOException;
}
