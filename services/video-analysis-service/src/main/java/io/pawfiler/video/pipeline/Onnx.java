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
        // Memory that goes back after each run instead of ratcheting up. The CPU arena keeps the largest batch's
        // activations for the process's lifetime, and memory patterns are cached per input shape (the scorer's
        // batch size changes with every video): under real use both only grow (1.5 GB RSS after a dozen analyses).
        options.setCPUArenaAllocator(false);
        options.setMemoryPatternOptimization(false);
        return options;
    }
}
