package io.pawfiler.video.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: times the pipeline on a 30 s 720p H.264 clip with 32 sampled frames, stage by stage, and compares the
 * whole pipeline with decode + detect + score each measured alone (the ARCHITECTURE targets: < 1.5 s on 2 cores,
 * within 1.3x). Run:
 * <pre>
 * ./mvnw -B -q -pl services/video-analysis-service test-compile exec:java@benchmark [-Dexec.args=runs]
 * </pre>
 */
public final class PipelineBenchmark {

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path directory = Files.createTempDirectory("pawfiler-bench");
        long encodeStart = System.nanoTime();
        Path clip = TestVideos.encode(directory, "clip-720p-30s", TestVideos.image("astronaut.png"),
                TestVideos.Format.H264_MP4, 1280, 720, 30);
        FrameSampler.Probe probe = FrameSampler.probe(clip);
        System.out.printf("clip: %dx%d %s, %.1f s, %d KiB (encoded in %d ms)%n", probe.width(), probe.height(),
                probe.codec(), probe.durationMicros() / 1e6, Files.size(clip) / 1024,
                (System.nanoTime() - encodeStart) / 1_000_000);
        System.out.printf("cores: %d%n", Runtime.getRuntime().availableProcessors());

        try (FaceDetector detector = new FaceDetector(ModelManifest.load("classpath:models/face-detector.json"));
             DeepfakeScorer scorer = new DeepfakeScorer(ModelManifest.load("classpath:models/deepfake-scorer.json"))) {
            DeepfakePipeline pipeline = new DeepfakePipeline(detector, scorer, DeepfakePipeline.Options.defaults());
            pipeline.analyze(clip, stage -> { });  // warm-up: JIT, ONNX Runtime arenas, FFmpeg
            pipeline.analyze(clip, stage -> { });

            double total = 0;
            double[] stages = new double[3];
            double alone = 0;
            double decodeAlone = 0;
            double detectAlone = 0;
            double scoreAlone = 0;
            int faces = 0;
            for (int run = 0; run < runs; run++) {
                DeepfakePipeline.Report report = pipeline.analyze(clip, stage -> { });
                total += report.processingTime().toNanos() / 1e6;
                int i = 0;
                for (var time : report.stageTimes().values()) {
                    stages[i++] += time.toNanos() / 1e6;
                }
                faces = report.facesFound();

                long t = System.nanoTime();
                List<FrameSampler.Sample> frames = FrameSampler.sample(clip, 32);
                double decode = (System.nanoTime() - t) / 1e6;
                List<RgbImage> images = frames.stream().map(FrameSampler.Sample::image).toList();
                t = System.nanoTime();
                List<List<FaceBox>> boxes = detector.detect(images);
                double detect = (System.nanoTime() - t) / 1e6;
                List<RgbImage> crops = new ArrayList<>();
                for (int f = 0; f < images.size(); f++) {
                    for (FaceBox box : boxes.get(f)) {
                        crops.add(scorer.cropFace(images.get(f), box));
                    }
                }
                t = System.nanoTime();
                scorer.score(crops);
                double score = (System.nanoTime() - t) / 1e6;
                decodeAlone += decode;
                detectAlone += detect;
                scoreAlone += score;
                alone += decode + detect + score;
            }
            System.out.printf("runs: %d, frames: 32, faces found: %d%n", runs, faces);
            System.out.printf("pipeline      %8.1f ms  (decode %.1f, detect+crop %.1f, score %.1f)%n", total / runs,
                    stages[0] / runs, stages[1] / runs, stages[2] / runs);
            System.out.printf("alone         %8.1f ms  (decode %.1f, detect %.1f, score %.1f)%n", alone / runs,
                    decodeAlone / runs, detectAlone / runs, scoreAlone / runs);
            System.out.printf("ratio pipeline / (decode + detect + score alone): %.2f%n", total / alone);
        }
    }
}
