package io.pawfiler.video.pipeline;

import java.awt.image.BufferedImage;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/** A frame or crop as interleaved 8-bit RGB, row-major: the one image type the pipeline passes around. */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " bytes, got " + rgb.length);
        }
    }

    public static RgbImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int i = (y * w + x) * 3;
                rgb[i] = (byte) (p >> 16);
                rgb[i + 1] = (byte) (p >> 8);
                rgb[i + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** From OpenCV's usual BGR order. */
    public static RgbImage fromBgr(int width, int height, byte[] bgr) {
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return new RgbImage(width, height, rgb);
    }

    public int at(int x, int y, int channel) {
        return rgb[(y * width + x) * 3 + channel] & 0xFF;
    }

    /** Resized with OpenCV (area averaging when shrinking, bilinear when enlarging, as the models were trained). */
    public RgbImage resized(int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return this;
        }
        try (BytePointer pixels = new BytePointer(rgb);
             Mat source = new Mat(height, width, CV_8UC3, pixels);
             Mat target = new Mat()) {
            boolean shrinking = newWidth * newHeight < width * height;
            resize(source, target, new Size(newWidth, newHeight), 0, 0, shrinking ? INTER_AREA : INTER_LINEAR);
            byte[] out = new byte[newWidth * newHeight * 3];
            target.data().get(out);
            return new RgbImage(newWidth, newHeight, out);
        }
    }

    /** The region [x0,x1) x [y0,y1), clipped to the image. */
    public RgbImage crop(int x0, int y0, int x1, int y1) {
        int cx0 = Math.max(0, x0);
        int cy0 = Math.max(0, y0);
        int cx1 = Math.min(width, x1);
        int cy1 = Math.min(height, y1);
        int w = Math.max(1, cx1 - cx0);
        int h = Math.max(1, cy1 - cy0);
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(rgb, ((cy0 + y) * width + cx0) * 3, out, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, out);
    }

    /**
     * Isotropic resize into a {@code size x size} square, drawn at the top-left of a black canvas.
     *
     * @return the canvas and the scale applied
     */
    public Letterboxed letterboxed(int size) {
        double scale = size / (double) Math.max(width, height);
        return new Letterboxed(placed(size, size, scale), scale);
    }

    /**
     * This image resized by {@code scale} (to {@code round(width*scale) x round(height*scale)}) and drawn at the
     * top-left of a black {@code canvasWidth x canvasHeight} canvas; whatever does not fit is cut off.
     */
    public RgbImage placed(int canvasWidth, int canvasHeight, double scale) {
        int w = Math.max(1, (int) Math.round(width * scale));
        int h = Math.max(1, (int) Math.round(height * scale));
        RgbImage scaled = resized(w, h);
        if (w == canvasWidth && h == canvasHeight) {
            return scaled;
        }
        byte[] canvas = new byte[canvasWidth * canvasHeight * 3];
        int rowBytes = Math.min(w, canvasWidth) * 3;
        for (int y = 0; y < Math.min(h, canvasHeight); y++) {
            System.arraycopy(scaled.rgb, y * w * 3, canvas, y * canvasWidth * 3, rowBytes);
        }
        return new RgbImage(canvasWidth, canvasHeight, canvas);
    }

    /** An image placed on a square canvas, and the scale from the original. */
    public record Letterboxed(RgbImage canvas, double scale) {
    }
}
