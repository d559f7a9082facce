package io.pawfiler.video.pipeline;

import java.util.List;

/** Finds faces in a batch of frames. */
public interface FaceFinder extends AutoCloseable {

    List<List<FaceBox>> detect(List<RgbImage> frames);

    String version();

    @Override
    void close();
}
