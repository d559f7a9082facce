package io.pawfiler.quiz.domain;

/** A circle on the media (media pixel coordinates) that counts as a correct click. */
public record Region(double x, double y, double radius) {

    /** Inside the circle, widened by the question's tolerance. */
    public boolean contains(double px, double py, double tolerance) {
        double reach = radius + Math.max(0, tolerance);
        double dx = px - x;
        double dy = py - y;
        return dx * dx + dy * dy <= reach * reach;
    }
}
