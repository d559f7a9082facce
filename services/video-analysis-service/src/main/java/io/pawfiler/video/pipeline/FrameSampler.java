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

    /** {@code count} frames at the middles of {@code count} equal slices of the video. */
    public static List<Sample> sample(Path video, int count) {
        List<Sample> samples = new ArrayList<>(count);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile())) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            grabber.start();
            long duration = Math.max(1, grabber.getLengthInTime());
            for (int i = 0; i < count; i++) {
                long timestamp = (long) (duration * (i + 0.5) / count);
                grabber.setVideoTimestamp(timestamp);
                Frame frame = grabber.grabImage();
                if (frame == null || frame.image == null) {
                    continue;  // past the last decodable frame (e.g. a container that overstates its length)
                }
                samples.add(new Sample(i, frame.timestamp, toRgb(frame)));
            }
            return samples;
        } catch (FrameGrabber.Exception e) {
            throw new UnreadableVideoException(e.getMessage() == null ? "decoding failed" : e.getMessage());
        }
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
