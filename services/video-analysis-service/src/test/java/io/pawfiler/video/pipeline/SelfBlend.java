package io.pawfiler.video.pipeline;

/**
 * A Self-Blended Image (Shiohara & Yamasaki, CVPR 2022) for tests: a colour-shifted copy of the face blended back
 * through a soft elliptical mask, the kind of boundary artefact the scorer was trained on.
 */
final class SelfBlend {

    private SelfBlend() {
    }

    static RgbImage apply(RgbImage image, FaceBox face) {
        byte[] out = image.rgb().clone();
        double cx = (face.x0() + face.x1()) / 2;
        double cy = (face.y0() + face.y1()) / 2;
        double rx = face.width() * 0.42;
        double ry = face.height() * 0.5;
        int[] shift = {28, -12, -20};
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                double d = Math.pow((x - cx) / rx, 2) + Math.pow((y - cy) / ry, 2);
                double mask = d < 0.7 ? 1 : d < 1.0 ? (1.0 - d) / 0.3 : 0;
                if (mask <= 0) {
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    int i = (y * image.width() + x) * 3 + c;
                    int original = out[i] & 0xFF;
                    int shifted = Math.max(0, Math.min(255, (int) (original * 1.08) + shift[c]));
                    out[i] = (byte) Math.round(original + mask * (shifted - original));
                }
            }
        }
        return new RgbImage(image.width(), image.height(), out);
    }
}
