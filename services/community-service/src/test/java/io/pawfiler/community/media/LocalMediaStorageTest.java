package io.pawfiler.community.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalMediaStorageTest {

    @TempDir
    Path root;

    private LocalMediaStorage storage() {
        return new LocalMediaStorage(root.toString());
    }

    @Test
    void roundTripIsByteIdentical() throws Exception {
        byte[] mp4 = TestMedia.bytes("tiny.mp4");
        StoredMedia stored = storage().store(mp4, MediaFormats.MP4);

        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(mp4));
        assertEquals(sha + ".mp4", stored.key());
        assertEquals(sha, stored.sha256());
        assertEquals(mp4.length, stored.sizeBytes());
        assertEquals("video/mp4", stored.contentType());
        assertEquals(MediaKind.VIDEO, stored.kind());
        // fanned out like the video storage: ab/abcd….ext
        assertTrue(Files.isRegularFile(root.resolve(sha.substring(0, 2)).resolve(sha + ".mp4")));

        MediaFile file = storage().open(stored.key()).orElseThrow();  // a new instance: nothing cached in memory
        assertEquals(mp4.length, file.size());
        assertEquals("video/mp4", file.contentType());
        assertEquals(sha, file.sha256());
        try (InputStream in = file.read()) {
            assertArrayEquals(mp4, in.readAllBytes());
        }
    }

    @Test
    void rangesReadExactlyTheirBytes() throws IOException {
        byte[] png = TestMedia.bytes("tiny.png");
        MediaFile file = storage().open(storage().store(png, MediaFormats.PNG).key()).orElseThrow();
        try (InputStream in = file.read(10, 20)) {
            assertArrayEquals(Arrays.copyOfRange(png, 10, 30), in.readAllBytes());
        }
        try (InputStream in = file.read(png.length - 1, 1)) {
            assertArrayEquals(new byte[] {png[png.length - 1]}, in.readAllBytes());
        }
        assertThrows(IllegalArgumentException.class, () -> file.read(png.length - 1, 2));
        assertThrows(IllegalArgumentException.class, () -> file.read(-1, 1));
    }

    @Test
    void storingTheSameBytesAgainKeepsOneFile() throws IOException {
        byte[] gif = TestMedia.bytes("tiny.gif");
        LocalMediaStorage storage = storage();
        StoredMedia first = storage.store(gif, MediaFormats.GIF);
        Path path = root.resolve(first.key().substring(0, 2)).resolve(first.key());
        // backdated, so a rewrite would show whatever the clock's resolution
        FileTime backdated = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(path, backdated);
        StoredMedia second = storage.store(gif.clone(), MediaFormats.GIF);

        assertEquals(first, second);
        assertEquals(backdated, Files.getLastModifiedTime(path), "not rewritten");
        assertEquals(List.of(path), mediaFiles());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void concurrentStoresOfTheSameBytesAreSafe() throws Exception {
        byte[] webm = TestMedia.bytes("tiny.webm");
        LocalMediaStorage storage = storage();
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<StoredMedia>> stores = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                stores.add(() -> {
                    start.await();
                    return storage.store(webm, MediaFormats.WEBM);
                });
            }
            List<Future<StoredMedia>> results = stores.stream().map(pool::submit).toList();
            start.countDown();
            for (Future<StoredMedia> result : results) {
                assertEquals(MediaStorage.keyOf(webm, MediaFormats.WEBM), result.get().key());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, mediaFiles().size());
        assertEquals(List.of(), leftovers(), "no temp file left behind");
        try (InputStream in = storage.open(MediaStorage.keyOf(webm, MediaFormats.WEBM)).orElseThrow().read()) {
            assertArrayEquals(webm, in.readAllBytes());
        }
    }

    @Test
    void bytesMustBeOfTheGivenFormat() {
        // otherwise the same bytes could be stored under two keys
        assertThrows(IllegalArgumentException.class, () -> storage().store(TestMedia.bytes("tiny.png"), MediaFormats.MP4));
        assertThrows(IllegalArgumentException.class, () -> storage().store("text".getBytes(), MediaFormats.PNG));
    }

    @Test
    void keysThatCouldEscapeTheRootAreRejected() throws IOException {
        // a real file just outside the root and one inside under a non-key name: neither may be reached
        Files.writeString(root.getParent().resolve("outside-" + root.getFileName() + ".png"), "secret");
        String sha = "a".repeat(64);
        for (String key : new String[] {"../outside-" + root.getFileName() + ".png", "..%2f" + sha + ".png",
                "aa/" + sha + ".png", sha + ".png/../../x.png", "/etc/passwd", sha.toUpperCase() + ".png",
                sha + ".PNG", sha + ".p", sha + ".jpeg1", sha.substring(1) + ".png", sha + "png", "", null,
                sha + ".png\n", sha + ".png\0"}) {
            assertEquals(Optional.empty(), storage().open(key), String.valueOf(key));
            assertFalse(MediaStorage.isKey(key), String.valueOf(key));
        }
        assertThrows(IllegalArgumentException.class, () -> storage().delete("../" + sha + ".png"));
        Files.delete(root.getParent().resolve("outside-" + root.getFileName() + ".png"));
    }

    @Test
    void validKeyWithAnExtensionWeNeverStoreIsUnknown() throws IOException {
        String sha = "b".repeat(64);
        Path planted = Files.createDirectories(root.resolve("bb")).resolve(sha + ".html");
        Files.writeString(planted, "<script>alert(1)</script>");
        assertEquals(Optional.empty(), storage().open(sha + ".html"));
    }

    @Test
    void unknownKeyIsEmpty() {
        assertEquals(Optional.empty(), storage().open("c".repeat(64) + ".png"));
    }

    @Test
    void deleteRemovesTheFileAndIsIdempotent() {
        LocalMediaStorage storage = storage();
        StoredMedia stored = storage.store(TestMedia.bytes("tiny.jpg"), MediaFormats.JPEG);
        StoredMedia other = storage.store(TestMedia.bytes("tiny.webp"), MediaFormats.WEBP);

        storage.delete(stored.key());
        assertEquals(Optional.empty(), storage.open(stored.key()));
        storage.delete(stored.key());  // already gone: no error
        assertTrue(storage.open(other.key()).isPresent(), "other media untouched");

        // stored again after deletion (a new post with the same picture)
        storage.store(TestMedia.bytes("tiny.jpg"), MediaFormats.JPEG);
        assertTrue(storage.open(stored.key()).isPresent());
    }

    private List<Path> mediaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.startsWith(root.resolve("incoming"))).toList();
        }
    }

    private List<Path> leftovers() throws IOException {
        Path incoming = root.resolve("incoming");
        if (!Files.isDirectory(incoming)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(incoming)) {
            return files.toList();
        }
    }
}
