package io.pawfiler.video.pipeline;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** ONNX Runtime session settings shared by the models. */
final class Onnx {

    private Onnx() {
    }

    static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        // one inference already spreads over the cores; several concurrent analyses share them
        options.setIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
        return options;
    }
}
