package io.pawfiler.video.pipeline;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/** Real videos made by the tests: a public-domain picture drifting across the frame, encoded with FFmpeg. */
public final class TestVideos {

    /** Container + codec pairs the service must read. */
    public enum Format {
        H264_MP4("mp4", "mp4", avcodec.AV_CODEC_ID_H264),
        VP9_WEBM("webm", "webm", avcodec.AV_CODEC_ID_VP9),
        MJPEG_AVI("avi", "avi", avcodec.AV_CODEC_ID_MJPEG);

        final String extension;
        final String container;
        final int codec;

        Format(String extension, String container, int codec) {
            this.extension = extension;
            this.container = container;
            this.codec = codec;
        }
    }

    private TestVideos() {
    }

    public static BufferedImage image(String name) {
        try (InputStream in = TestVideos.class.getResourceAsStream("/faces/" + name)) {
            return ImageIO.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param picture  drawn on a grey canvas, moving slowly left to right
     * @param seconds  length
     */
    public static Path encode(Path directory, String name, BufferedImage picture, Format format, int width, int height,
                              double seconds) {
        return encode(directory, name, picture, format, width, height, seconds, 25);
    }

    /** @param gopFrames frames from one keyframe to the next (x264's default is 250; the tests' usual clip has 25) */
    public static Path encode(Path directory, String name, BufferedImage picture, Format format, int width, int height,
                              double seconds, int gopFrames) {
        Path file = directory.resolve(name + "." + format.extension);
        try {
            Files.createDirectories(directory);
            int fps = 25;
            try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
                 Java2DFrameConverter converter = new Java2DFrameConverter()) {
                recorder.setFormat(format.container);
                recorder.setVideoCodec(format.codec);
                recorder.setFrameRate(fps);
                recorder.setPixelFormat(format.codec == avcodec.AV_CODEC_ID_MJPEG
                        ? avutil.AV_PIX_FMT_YUVJ420P : avutil.AV_PIX_FMT_YUV420P);
                recorder.setVideoQuality(format.codec == avcodec.AV_CODEC_ID_MJPEG ? 4 : 28);
                recorder.setGopSize(gopFrames);
                recorder.start();
                int frames = (int) Math.round(seconds * fps);
                double scale = Math.min(width * 0.7 / picture.getWidth(), height * 0.9 / picture.getHeight());
                int pw = (int) (picture.getWidth() * scale);
                int ph = (int) (picture.getHeight() * scale);
                for (int i = 0; i < frames; i++) {
                    BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
                    Graphics2D g = canvas.createGraphics();
                    g.setColor(new Color(90, 90, 90));
                    g.fillRect(0, 0, width, height);
                    int x = (int) ((width - pw) * (i / (double) Math.max(1, frames - 1)));
                    g.drawImage(picture, x, (height - ph) / 2, pw, ph, null);
                    g.dispose();
                    recorder.record(converter.convert(canvas));
                }
                recorder.stop();
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
