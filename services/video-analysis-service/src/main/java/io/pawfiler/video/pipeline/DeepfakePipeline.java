package io.pawfiler.video.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One video to one report: sample frames (FFmpeg) → detect faces (ONNX) → crop → score all crops in one batch
 * (ONNX) → aggregate. Pure Java over the libraries; the service wraps it with storage, tasks and events.
 */
public final class DeepfakePipeline {

    public enum Stage { DECODING, DETECTING_FACES, SCORING }

    public enum Verdict { FAKE, REAL, INCONCLUSIVE }

    /** @param fakeThreshold video scores at or above it are FAKE */
    public record Options(int frames, ScoreAggregation aggregation, double fakeThreshold, int topRegions) {
        public static Options defaults() {
            return new Options(32, ScoreAggregation.CONFIDENT, 0.5, 5);
        }
    }

    /** A scored face; box normalised to the frame (0..1). */
    public record ScoredFace(int frameIndex, long timestampMillis, double x, double y, double width, double height,
                             double score) {
    }

    /**
     * @param fakeProbability the aggregated score in [0,1]; NaN when no face was found
     * @param stageTimes      wall time per stage
     */
    public record Report(Verdict verdict, double fakeProbability, int framesAnalysed, int facesFound,
                         String modelVersion, Duration processingTime, List<ScoredFace> mostSuspicious,
                         Map<Stage, Duration> stageTimes) {
    }

    private final FaceFinder detector;
    private final DeepfakeScorer scorer;
    private final Options options;

    public DeepfakePipeline(FaceFinder detector, DeepfakeScorer scorer, Options options) {
        this.detector = detector;
        this.scorer = scorer;
        this.options = options;
    }

    /**
     * One dummy run of each stage's native code (FFmpeg's libraries, both models at the batch sizes analyses use), so
     * the first real analysis pays no library loading or first-inference set-up.
     */
    public void warmUp() {
        FrameSampler.loadNatives();
        RgbImage grey = new RgbImage(1280, 720, new byte[1280 * 720 * 3]);
        detector.detectInVideo(java.util.Collections.nCopies(8, grey));
        scorer.score(List.of(scorer.cropFace(grey, new FaceBox(560, 280, 720, 440, 1))));
    }

    public String modelVersion() {
        return scorer.version() + "+" + detector.version();
    }

    public Report analyze(Path video, Consumer<Stage> stageListener) {
        long started = System.nanoTime();
        Map<Stage, Duration> times = new LinkedHashMap<>();

        stageListener.accept(Stage.DECODING);
        long t = System.nanoTime();
        List<FrameSampler.Sample> frames = FrameSampler.sample(video, options.frames());
        times.put(Stage.DECODING, Duration.ofNanos(System.nanoTime() - t));

        stageListener.accept(Stage.DETECTING_FACES);
        t = System.nanoTime();
        List<List<FaceBox>> faces = detector.detectInVideo(frames.stream().map(FrameSampler.Sample::image).toList());
        List<RgbImage> crops = new ArrayList<>();
        List<ScoredFace> located = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            FrameSampler.Sample frame = frames.get(i);
            for (FaceBox box : faces.get(i)) {
                crops.add(scorer.cropFace(frame.image(), box));
                double w = frame.image().width();
                double h = frame.image().height();
                located.add(new ScoredFace(frame.index(), frame.timestampMicros() / 1000, box.x0() / w, box.y0() / h,
                        box.width() / w, box.height() / h, Double.NaN));
            }
        }
        times.put(Stage.DETECTING_FACES, Duration.ofNanos(System.nanoTime() - t));

        stageListener.accept(Stage.SCORING);
        t = System.nanoTime();
        double[] scores = scorer.score(crops);
        times.put(Stage.SCORING, Duration.ofNanos(System.nanoTime() - t));

        List<ScoredFace> scored = new ArrayList<>(located.size());
        for (int i = 0; i < located.size(); i++) {
            ScoredFace face = located.get(i);
            scored.add(new ScoredFace(face.frameIndex(), face.timestampMillis(), face.x(), face.y(), face.width(),
                    face.height(), scores[i]));
        }
        scored.sort(Comparator.comparingDouble(ScoredFace::score).reversed());
        Duration total = Duration.ofNanos(System.nanoTime() - started);
        if (scores.length == 0) {
            return new Report(Verdict.INCONCLUSIVE, Double.NaN, frames.size(), 0, modelVersion(), total, List.of(), times);
        }
        double videoScore = options.aggregation().aggregate(scores);
        return new Report(videoScore >= options.fakeThreshold() ? Verdict.FAKE : Verdict.REAL, videoScore, frames.size(),
                scores.length, modelVersion(), total,
                List.copyOf(scored.subList(0, Math.min(options.topRegions(), scored.size()))), times);
    }
}
