package io.pawfiler.video.pipeline;

import java.util.List;

/** Finds faces in a batch of frames. */
public interface FaceFinder extends AutoCloseable {

    List<List<FaceBox>> detect(List<RgbImage> frames);

    /**
     * Faces in consecutive frames of one video (the same scene): an implementation may spend less on frames whose
     * neighbours already showed what sizes of face there are. By default, {@link #detect}.
     */
    default List<List<FaceBox>> detectInVideo(List<RgbImage> frames) {
        return detect(frames);
    }

    String version();

    @Override
    void close();
}
