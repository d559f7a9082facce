package io.pawfiler.video.pipeline;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Frames at evenly spaced timestamps, found by seeking (FFmpeg jumps to the keyframe before each timestamp and
 * decodes from there), never by decoding the whole video.
 */
public final class FrameSampler {

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        FFmpegLogCallback.set();
    }

    /** A decoded frame and where it sits in the video. */
    public record Sample(int index, long timestampMicros, RgbImage image) {
    }

    /** What FFmpeg says about a file: a decodable video stream, its length and size. */
    public record Probe(long durationMicros, int width, int height, String codec, double frameRate) {
    }

    private FrameSampler() {
    }

    /** Loads FFmpeg's native libraries now (the static initialiser above), rather than in the first analysis. */
    public static void loadNatives() {
        org.bytedeco.javacpp.Loader.load(avformat.class);
        org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.swscale.class);
    }

    /** @throws UnreadableVideoException when FFmpeg finds no decodable video stream */
    public static Probe probe(Path video) {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile())) {
            grabber.start();
            if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
                throw new UnreadableVideoException("no video stream");
            }
            Frame first = grabber.grabImage();
            if (first == null || first.image == null) {
                throw new UnreadableVideoException("the video stream has no decodable frame");
            }
            return new Probe(Math.max(0, grabber.getLengthInTime()), grabber.getImageWidth(), grabber.getImageHeight(),
                    grabber.getVideoCodecName(), grabber.getVideoFrameRate());
        } catch (FrameGrabber.Exception e) {
            throw new UnreadableVideoException(e.getMessage() == null ? "not a video FFmpeg can read" : e.getMessage());
        }
    }

    /**
     * When the container has no keyframe index: up to this far ahead, the next sample is reached by decoding forward
     * from the last one instead of seeking.
     */
    static final long MAX_FORWARD_DECODE_MICROS = 3_000_000;

    /** {@code count} frames at the middles of {@code count} equal slices of the video. */
    public static List<Sample> sample(Path video, int count) {
        List<Sample> samples = new ArrayList<>(count);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile())) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            grabber.start();
            long duration = Math.max(1, grabber.getLengthInTime());
            double fps = grabber.getVideoFrameRate() > 0 ? grabber.getVideoFrameRate() : 25;
            long frameMicros = (long) (1_000_000 / fps);
            long position = -1;  // timestamp of the last frame decoded, -1 before the first
            for (int i = 0; i < count; i++) {
                long timestamp = (long) (duration * (i + 0.5) / count);
                Frame frame;
                if (decodeForward(grabber, position, timestamp)) {
                    frame = decodeForwardTo(grabber, position, timestamp, frameMicros);
                } else {
                    grabber.setVideoTimestamp(timestamp);
                    frame = grabber.grabImage();
                }
                if (frame == null || frame.image == null) {
                    continue;  // past the last decodable frame (e.g. a container that overstates its length)
                }
                position = frame.timestamp;
                samples.add(new Sample(i, frame.timestamp, toRgb(frame)));
            }
            return samples;
        } catch (FrameGrabber.Exception e) {
            throw new UnreadableVideoException(e.getMessage() == null ? "decoding failed" : e.getMessage());
        }
    }

    /**
     * Whether the next sample is cheaper to reach by decoding on from the last one than by seeking. A seek restarts
     * from the keyframe before the target: when that keyframe is at or before where decoding already is (a long GOP:
     * x264's default is 250 frames, 10 s at 25 fps), seeking would decode the same frames again; each of 32 seeks in
     * a 6 s clip then decoded it from its start (6-22 s per analysis). Otherwise seeking skips frames.
     */
    private static boolean decodeForward(FFmpegFrameGrabber grabber, long position, long target) {
        if (position < 0 || target <= position) {
            return false;
        }
        OptionalLong keyframe = keyframeAtOrBefore(grabber, target);
        return keyframe.isPresent() ? keyframe.getAsLong() <= position : target - position <= MAX_FORWARD_DECODE_MICROS;
    }

    /** The time (µs, as {@link Frame#timestamp} counts) of the last keyframe at or before {@code micros}, if indexed. */
    private static OptionalLong keyframeAtOrBefore(FFmpegFrameGrabber grabber, long micros) {
        AVFormatContext format = grabber.getFormatContext();
        AVStream stream = format.streams(grabber.getVideoStream());
        AVRational base = stream.time_base();
        long start = format.start_time() == avutil.AV_NOPTS_VALUE ? 0 : format.start_time();
        long ts = (micros + start) * base.den() / (1_000_000L * base.num());
        int index = avformat.av_index_search_timestamp(stream, ts, avformat.AVSEEK_FLAG_BACKWARD);
        if (index < 0) {
            return OptionalLong.empty();
        }
        AVIndexEntry entry = avformat.avformat_index_get_entry(stream, index);
        return entry == null || entry.isNull() ? OptionalLong.empty()
                : OptionalLong.of(entry.timestamp() * 1_000_000L * base.num() / base.den() - start);
    }

    /**
     * Decodes the frames before {@code target} without converting them (no pixel-format conversion), then returns
     * the first frame at or after it, converted.
     */
    private static Frame decodeForwardTo(FFmpegFrameGrabber grabber, long position, long target, long frameMicros)
            throws FrameGrabber.Exception {
        long next = position + frameMicros;
        while (next + frameMicros / 2 < target) {
            Frame skipped = grabber.grabFrame(false, true, false, false, false);
            if (skipped == null) {
                return null;
            }
            if (skipped.image != null) {
                next = skipped.timestamp + frameMicros;
            }
        }
        return grabber.grabImage();
    }

    private static RgbImage toRgb(Frame frame) {
        int width = frame.imageWidth;
        int height = frame.imageHeight;
        ByteBuffer buffer = (ByteBuffer) frame.image[0];
        byte[] bgr = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            buffer.position(y * frame.imageStride);
            buffer.get(bgr, y * width * 3, width * 3);
        }
        buffer.rewind();
        return RgbImage.fromBgr(width, height, bgr);
    }

    /** FFmpeg could not read the file as a video. */
    public static final class UnreadableVideoException extends RuntimeException {
        public UnreadableVideoException(String message) {
            super(message);
        }
    }
}
