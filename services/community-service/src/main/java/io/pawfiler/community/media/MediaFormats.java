package io.pawfiler.community.media;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The media types a post may carry, recognised by their magic bytes alone: a file's name and the content type a
 * client declares are whatever the client says, and serving bytes under a type they are not is how an "image"
 * becomes a script on our origin.
 */
public final class MediaFormats {

    public static final MediaFormat JPEG = new MediaFormat(MediaKind.IMAGE, "image/jpeg", "jpg");
    public static final MediaFormat PNG = new MediaFormat(MediaKind.IMAGE, "image/png", "png");
    public static final MediaFormat GIF = new MediaFormat(MediaKind.IMAGE, "image/gif", "gif");
    public static final MediaFormat WEBP = new MediaFormat(MediaKind.IMAGE, "image/webp", "webp");
    public static final MediaFormat MP4 = new MediaFormat(MediaKind.VIDEO, "video/mp4", "mp4");
    public static final MediaFormat MOV = new MediaFormat(MediaKind.VIDEO, "video/quicktime", "mov");
    public static final MediaFormat WEBM = new MediaFormat(MediaKind.VIDEO, "video/webm", "webm");

    /** Every accepted format, images first. */
    public static final List<MediaFormat> ACCEPTED = List.of(JPEG, PNG, GIF, WEBP, MP4, MOV, WEBM);

    /** The most bytes {@link #sniff} reads; a caller that streams needs to buffer only this much to decide. */
    public static final int HEAD_BYTES = 4096;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    private static final byte[] EBML_MAGIC = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3};
    private static final int EBML_DOC_TYPE = 0x4282;

    private static final String QUICKTIME_BRAND = "qt  ";
    /** ISO base media brands of MP4 video (ISO 14496-12/14, Apple's M4V, DASH segments). */
    private static final Set<String> MP4_BRANDS = Set.of("isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8",
            "iso9", "mp41", "mp42", "avc1", "dash", "M4V ", "M4VH", "M4VP", "mmp4", "msnv", "f4v ");
    /**
     * Brands of the same container that are not video a browser plays as video/mp4: HEIF/AVIF images and
     * audio-only files. They often list isom among their compatible brands, so they must be excluded first.
     */
    private static final Set<String> NOT_VIDEO_BRANDS = Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "mif1",
            "msf1", "avif", "avis", "M4A ", "M4B ", "M4P ", "F4A ", "F4B ");
    /** Pre-ftyp QuickTime files start straight with one of these atoms. */
    private static final Set<String> CLASSIC_QUICKTIME_ATOMS = Set.of("moov", "mdat", "wide", "free");

    private MediaFormats() {
    }

    /** The format of a file from its first bytes (at least {@link #HEAD_BYTES} of them, or the whole file). */
    public static Optional<MediaFormat> sniff(byte[] head) {
        if (head == null) {
            return Optional.empty();
        }
        if (startsWith(head, 0, (byte) 0xFF, (byte) 0xD8, (byte) 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(head, 0, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (ascii(head, 0, 6).filter(s -> s.equals("GIF87a") || s.equals("GIF89a")).isPresent()) {
            return Optional.of(GIF);
        }
        if (ascii(head, 0, 4).filter("RIFF"::equals).isPresent()
                && ascii(head, 8, 4).filter("WEBP"::equals).isPresent()) {
            return Optional.of(WEBP);
        }
        if (startsWith(head, 0, EBML_MAGIC)) {
            return webm(head);
        }
        return isoBaseMedia(head);
    }

    /** The accepted format stored under a key's extension. */
    public static Optional<MediaFormat> byExtension(String extension) {
        return ACCEPTED.stream().filter(f -> f.extension().equals(extension)).findFirst();
    }

    /** For error messages: "jpg, png, gif, webp images or mp4, mov, webm videos". */
    public static String describeAccepted() {
        return extensions(MediaKind.IMAGE) + " images or " + extensions(MediaKind.VIDEO) + " videos";
    }

    private static String extensions(MediaKind kind) {
        return ACCEPTED.stream().filter(f -> f.kind() == kind).map(MediaFormat::extension)
                .collect(Collectors.joining(", "));
    }

    /** MP4 and QuickTime: ISO base media boxes (4-byte big-endian size, 4-byte type). */
    private static Optional<MediaFormat> isoBaseMedia(byte[] head) {
        Optional<String> type = ascii(head, 4, 4);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        long size = uint32(head, 0);
        if ("ftyp".equals(type.get())) {
            Optional<String> major = ascii(head, 8, 4);
            // size, type, major brand, minor version: an ftyp box is 16 bytes or more
            if (major.isEmpty() || size < 16) {
                return Optional.empty();
            }
            if (QUICKTIME_BRAND.equals(major.get())) {
                return Optional.of(MOV);
            }
            if (MP4_BRANDS.contains(major.get())) {
                return Optional.of(MP4);
            }
            if (NOT_VIDEO_BRANDS.contains(major.get())) {
                return Optional.empty();
            }
            // an unfamiliar major brand (3GPP, a camera maker's): decide by the compatible brands
            boolean quicktime = false;
            boolean mp4 = false;
            long end = Math.min(size, head.length);
            for (int offset = 16; offset + 4 <= end; offset += 4) {
                String brand = ascii(head, offset, 4).orElse("");
                if (NOT_VIDEO_BRANDS.contains(brand)) {
                    return Optional.empty();
                }
                quicktime |= QUICKTIME_BRAND.equals(brand);
                mp4 |= MP4_BRANDS.contains(brand);
            }
            return quicktime ? Optional.of(MOV) : mp4 ? Optional.of(MP4) : Optional.empty();
        }
        // size 0: box runs to the end of the file; 1: a 64-bit size follows; otherwise it covers its own header
        boolean plausibleSize = size == 0 || size == 1 || size >= 8;
        return CLASSIC_QUICKTIME_ATOMS.contains(type.get()) && plausibleSize ? Optional.of(MOV) : Optional.empty();
    }

    /**
     * Matroska's EBML header, whose DocType says "webm" for WebM (plain Matroska, "matroska", is not a type
     * browsers promise to play, so it is refused).
     */
    private static Optional<MediaFormat> webm(byte[] head) {
        int headerSizeLength = vintLength(head, EBML_MAGIC.length);
        if (headerSizeLength == 0) {
            return Optional.empty();
        }
        long headerSize = vintValue(head, EBML_MAGIC.length, headerSizeLength);
        int position = EBML_MAGIC.length + headerSizeLength;
        long end = Math.min(head.length, position + headerSize);
        while (position < end) {
            int idLength = vintLength(head, position);
            if (idLength == 0 || idLength > 4) {
                return Optional.empty();
            }
            // element IDs keep their length marker bits: DocType is 0x4282 as written
            long id = uint(head, position, idLength);
            position += idLength;
            int sizeLength = vintLength(head, position);
            if (sizeLength == 0) {
                return Optional.empty();
            }
            long elementSize = vintValue(head, position, sizeLength);
            position += sizeLength;
            if (id == EBML_DOC_TYPE) {
                if (elementSize > 64) {
                    return Optional.empty();
                }
                return ascii(head, position, (int) elementSize)
                        .map(docType -> docType.replace("\0", ""))  // a string element may be NUL-padded
                        .filter("webm"::equals)
                        .map(docType -> WEBM);
            }
            position = (int) Math.min(Integer.MAX_VALUE, position + elementSize);
        }
        return Optional.empty();
    }

    /** An EBML variable-length integer's length from its first byte's leading zeros; 0 if invalid or cut off. */
    private static int vintLength(byte[] data, int offset) {
        if (offset >= data.length || data[offset] == 0) {
            return 0;
        }
        int length = Integer.numberOfLeadingZeros(data[offset] & 0xFF) - 23;
        return offset + length <= data.length ? length : 0;
    }

    /** A size vint's value, without its length marker. */
    private static long vintValue(byte[] data, int offset, int length) {
        return uint(data, offset, length) & ~(1L << (7 * length));  // the marker is bit 7L of an L-byte vint
    }

    private static long uint(byte[] data, int offset, int length) {
        long value = 0;
        for (int i = 0; i < length; i++) {
            value = (value << 8) | (data[offset + i] & 0xFF);
        }
        return value;
    }

    private static long uint32(byte[] data, int offset) {
        return data.length >= offset + 4 ? uint(data, offset, 4) : -1;
    }

    private static boolean startsWith(byte[] data, int offset, byte... prefix) {
        if (data.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> ascii(byte[] data, int offset, int length) {
        return data.length >= offset + length
                ? Optional.of(new String(data, offset, length, StandardCharsets.ISO_8859_1))
                : Optional.empty();
    }
}
