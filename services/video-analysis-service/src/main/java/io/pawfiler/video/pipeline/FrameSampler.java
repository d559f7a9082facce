package io.pawfiler.video.pipeline;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
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
     * Up to this far ahead, the next sample is reached by decoding forward from the last one instead of seeking:
     * a seek restarts from the keyframe before the target, and with the common long GOPs (x264's default is 250
     * frames, 10 s at 25 fps) each of 32 seeks in a short clip decoded from its start again (6-22 s per analysis).
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
                if (position < 0 || timestamp <= position || timestamp - position > MAX_FORWARD_DECODE_MICROS) {
                    grabber.setVideoTimestamp(timestamp);
                    frame = grabber.grabImage();
                } else {
                    frame = decodeForwardTo(grabber, position, timestamp, frameMicros);
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
