package io.pawfiler.video.pipeline;

/** A detected face in the frame's pixel coordinates. */
public record FaceBox(double x0, double y0, double x1, double y1, double score) {

    public double width() {
        return x1 - x0;
    }

    public double height() {
        return y1 - y0;
    }

    public double iou(FaceBox other) {
        double ix = Math.max(0, Math.min(x1, other.x1) - Math.max(x0, other.x0));
        double iy = Math.max(0, Math.min(y1, other.y1) - Math.max(y0, other.y0));
        double intersection = ix * iy;
        double union = width() * height() + other.width() * other.height() - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
