package io.pawfiler.community.media;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaFormatsTest {

    /** The ffmpeg-made files, with what each must be recognised as (the expected values spelled out, not shared). */
    private static final Map<String, MediaFormat> REAL_FILES = Map.of(
            "tiny.jpg", new MediaFormat(MediaKind.IMAGE, "image/jpeg", "jpg"),
            "tiny.png", new MediaFormat(MediaKind.IMAGE, "image/png", "png"),
            "tiny.gif", new MediaFormat(MediaKind.IMAGE, "image/gif", "gif"),
            "tiny.webp", new MediaFormat(MediaKind.IMAGE, "image/webp", "webp"),
            "tiny.mp4", new MediaFormat(MediaKind.VIDEO, "video/mp4", "mp4"),
            "tiny.mov", new MediaFormat(MediaKind.VIDEO, "video/quicktime", "mov"),
            "tiny.webm", new MediaFormat(MediaKind.VIDEO, "video/webm", "webm"));

    @TestFactory
    Stream<DynamicTest> recognisesRealFiles() {
        return REAL_FILES.entrySet().stream().map(file -> DynamicTest.dynamicTest(file.getKey(), () ->
                assertEquals(Optional.of(file.getValue()), MediaFormats.sniff(TestMedia.bytes(file.getKey())))));
    }

    @TestFactory
    Stream<DynamicTest> needsOnlyTheFirst64Bytes() {
        return REAL_FILES.entrySet().stream().map(file -> DynamicTest.dynamicTest(file.getKey(), () -> {
            byte[] whole = TestMedia.bytes(file.getKey());
            assertEquals(Optional.of(file.getValue()), MediaFormats.sniff(Arrays.copyOf(whole, Math.min(whole.length, 64))));
        }));
    }

    @Test
    void gif87a() {
        assertEquals(Optional.of(MediaFormats.GIF), MediaFormats.sniff(ascii("GIF87a\u0010\u0000\u0010\u0000")));
    }

    @Test
    void mp4MajorBrands() {
        for (String brand : new String[] {"mp42", "mp41", "iso2", "avc1", "dash", "M4V "}) {
            assertEquals(Optional.of(MediaFormats.MP4), MediaFormats.sniff(ftyp(brand)), brand);
        }
    }

    @Test
    void unknownMajorBrandDecidedByCompatibleBrands() {
        assertEquals(Optional.of(MediaFormats.MP4), MediaFormats.sniff(ftyp("3gp5", "3gp5", "isom")));
        assertEquals(Optional.of(MediaFormats.MOV), MediaFormats.sniff(ftyp("XYZ1", "qt  ")));
        assertEquals(Optional.empty(), MediaFormats.sniff(ftyp("XYZ1", "XYZ2")));
    }

    @Test
    void isoImagesAndAudioAreNotVideo() {
        // HEIC/AVIF photos and M4A audio share the container and often list isom as compatible
        assertEquals(Optional.empty(), MediaFormats.sniff(ftyp("heic", "mif1", "heic")));
        assertEquals(Optional.empty(), MediaFormats.sniff(ftyp("avif", "avif", "mif1", "miaf")));
        assertEquals(Optional.empty(), MediaFormats.sniff(ftyp("M4A ", "M4A ", "isom", "mp42")));
        assertEquals(Optional.empty(), MediaFormats.sniff(ftyp("XYZ1", "isom", "mif1")));
    }

    @Test
    void quickTimeWithoutFtyp() {
        for (String atom : new String[] {"moov", "mdat", "wide", "free"}) {
            byte[] head = new byte[16];
            head[3] = 8;
            System.arraycopy(atom.getBytes(StandardCharsets.US_ASCII), 0, head, 4, 4);
            assertEquals(Optional.of(MediaFormats.MOV), MediaFormats.sniff(head), atom);
        }
    }

    @Test
    void quickTimeAtomWithImpossibleSizeIsRejected() {
        byte[] head = new byte[16];
        head[3] = 5;  // smaller than its own 8-byte header
        System.arraycopy("moov".getBytes(StandardCharsets.US_ASCII), 0, head, 4, 4);
        assertEquals(Optional.empty(), MediaFormats.sniff(head));
    }

    @Test
    void plainMatroskaIsNotWebm() {
        assertEquals(Optional.empty(), MediaFormats.sniff(TestMedia.bytes("tiny.mkv")));
    }

    @Test
    void webmDocTypeIsFoundWhereverItIsInTheHeader() {
        // EBML header with only DocType, NUL-padded: a valid way to write "webm"
        byte[] head = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, (byte) 0x88, 0x42, (byte) 0x82, (byte) 0x85,
                'w', 'e', 'b', 'm', 0};
        assertEquals(Optional.of(MediaFormats.WEBM), MediaFormats.sniff(head));
    }

    @Test
    void rejectsText() {
        assertEquals(Optional.empty(), MediaFormats.sniff(ascii("hello, this is not an image\n")));
        assertEquals(Optional.empty(), MediaFormats.sniff(ascii("<html><script>alert(1)</script></html>")));
        assertEquals(Optional.empty(), MediaFormats.sniff(ascii("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>")));
    }

    @Test
    void rejectsExecutables() {
        byte[] elf = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] exe = {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 0, 0};
        assertEquals(Optional.empty(), MediaFormats.sniff(elf));
        assertEquals(Optional.empty(), MediaFormats.sniff(exe));
    }

    @Test
    void rejectsOtherRiffFiles() {
        assertEquals(Optional.empty(), MediaFormats.sniff(ascii("RIFF\u0024\u0000\u0000\u0000WAVEfmt ")));
    }

    @Test
    void rejectsTruncatedHeaders() {
        // one byte short of what each signature needs; webm: cut inside its DocType
        Map<String, Integer> keep = Map.of("tiny.jpg", 2, "tiny.png", 7, "tiny.gif", 5, "tiny.webp", 11,
                "tiny.mp4", 11, "tiny.webm", 26);
        keep.forEach((file, bytes) -> assertEquals(Optional.empty(),
                MediaFormats.sniff(Arrays.copyOf(TestMedia.bytes(file), bytes)), file + " cut to " + bytes));
    }

    @Test
    void rejectsEmptyAndNull() {
        assertEquals(Optional.empty(), MediaFormats.sniff(new byte[0]));
        assertEquals(Optional.empty(), MediaFormats.sniff(null));
    }

    @Test
    void lookupByExtensionCoversEveryAcceptedFormat() {
        for (MediaFormat format : MediaFormats.ACCEPTED) {
            assertEquals(Optional.of(format), MediaFormats.byExtension(format.extension()));
        }
        assertEquals(Optional.empty(), MediaFormats.byExtension("exe"));
        assertTrue(MediaFormats.describeAccepted().contains("webp"));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An ftyp box: size, "ftyp", major brand, minor version 0, compatible brands. */
    private static byte[] ftyp(String major, String... compatible) {
        int size = 16 + 4 * compatible.length;
        byte[] box = new byte[size + 8];
        box[3] = (byte) size;
        System.arraycopy(ascii("ftyp" + major), 0, box, 4, 8);
        for (int i = 0; i < compatible.length; i++) {
            System.arraycopy(ascii(compatible[i]), 0, box, 16 + 4 * i, 4);
        }
        return box;
    }
}
