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
 * (ONNX) → calibrate each face's score → aggregate → verdict by the scorer's {@link DecisionBand}. Pure Java over
 * the libraries; the service wraps it with storage, tasks and events.
 */
public final class DeepfakePipeline {

    public enum Stage { DECODING, DETECTING_FACES, SCORING }

    public enum Verdict { FAKE, REAL, INCONCLUSIVE }

    /** The verdict band is not an option: it belongs to the scorer (its manifest), chosen from measured errors. */
    public record Options(int frames, ScoreAggregation aggregation, int topRegions) {
        public static Options defaults() {
            return new Options(32, ScoreAggregation.CONFIDENT, 5);
        }
    }

    /**
     * A scored face; box normalised to the frame (0..1).
     *
     * @param score    calibrated probability that this face is fake
     * @param rawScore the model's uncalibrated probability
     */
    public record ScoredFace(int frameIndex, long timestampMillis, double x, double y, double width, double height,
                             double score, double rawScore) {
    }

    /**
     * @param verdict         from {@link DecisionBand#decide}
     * @param reason          why that verdict
     * @param fakeProbability the calibrated per-face probabilities, aggregated: the video's calibrated probability
     *                        of "fake" in [0,1]; NaN when no face was found
     * @param rawScore        the uncalibrated per-face probabilities, aggregated the same way; NaN when no face
     * @param heldoutAuc      the scorer's measured held-out AUC (how well it separates at all); NaN if unknown
     * @param band            the band the verdict was decided with
     * @param stageTimes      wall time per stage
     */
    public record Report(Verdict verdict, DecisionBand.Reason reason, double fakeProbability, double rawScore,
                         int framesAnalysed, int facesFound, String modelVersion, double heldoutAuc, DecisionBand band,
                         Duration processingTime, List<ScoredFace> mostSuspicious, Map<Stage, Duration> stageTimes) {
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
                        box.width() / w, box.height() / h, Double.NaN, Double.NaN));
            }
        }
        times.put(Stage.DETECTING_FACES, Duration.ofNanos(System.nanoTime() - t));

        stageListener.accept(Stage.SCORING);
        t = System.nanoTime();
        double[] raw = scorer.score(crops);
        double[] calibrated = scorer.calibration().apply(raw);
        times.put(Stage.SCORING, Duration.ofNanos(System.nanoTime() - t));

        List<ScoredFace> scored = new ArrayList<>(located.size());
        for (int i = 0; i < located.size(); i++) {
            ScoredFace face = located.get(i);
            scored.add(new ScoredFace(face.frameIndex(), face.timestampMillis(), face.x(), face.y(), face.width(),
                    face.height(), calibrated[i], raw[i]));
        }
        scored.sort(Comparator.comparingDouble(ScoredFace::score).thenComparingDouble(ScoredFace::rawScore).reversed());
        double videoProbability = raw.length == 0 ? Double.NaN : options.aggregation().aggregate(calibrated);
        double videoRaw = raw.length == 0 ? Double.NaN : options.aggregation().aggregate(raw);
        DecisionBand band = scorer.band();
        DecisionBand.Decision decision = band.decide(raw.length, videoProbability);
        Duration total = Duration.ofNanos(System.nanoTime() - started);
        return new Report(decision.verdict(), decision.reason(), videoProbability, videoRaw, frames.size(), raw.length,
                modelVersion(), scorer.heldoutAuc(), band, total,
                List.copyOf(scored.subList(0, Math.min(options.topRegions(), scored.size()))), times);
    }
}
