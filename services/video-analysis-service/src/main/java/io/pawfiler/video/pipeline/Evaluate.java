package io.pawfiler.video.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The evaluate command: scores every video under {@code <folder>/real} and {@code <folder>/fake} and prints the
 * per-video verdicts and scores, the ROC AUC and the verdict errors of the scorer's decision band. Any model pair can be evaluated by pointing at
 * other manifests.
 * <pre>
 * ./mvnw -q -pl services/video-analysis-service compile exec:java@evaluate \
 *     -Dexec.args="path/to/videos [scorer.json] [detector.json]"
 * </pre>
 */
public final class Evaluate {

    /** One video's outcome. */
    public record Scored(Path video, boolean fake, DeepfakePipeline.Report report) {
    }

    private Evaluate() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: Evaluate <folder with real/ and fake/> [scorer manifest] [detector manifest]");
            System.exit(2);
        }
        Path folder = Path.of(args[0]);
        String scorerManifest = args.length > 1 ? args[1] : "classpath:models/deepfake-scorer.json";
        String detectorManifest = args.length > 2 ? args[2] : "classpath:models/face-detector.json";
        try (FaceDetector detector = new FaceDetector(ModelManifest.load(detectorManifest));
             DeepfakeScorer scorer = new DeepfakeScorer(ModelManifest.load(scorerManifest))) {
            DeepfakePipeline.Options options = DeepfakePipeline.Options.defaults();
            DeepfakePipeline pipeline = new DeepfakePipeline(detector, scorer, options);
            List<Scored> results = new ArrayList<>();
            for (String label : List.of("real", "fake")) {
                for (Path video : videos(folder.resolve(label))) {
                    DeepfakePipeline.Report report = pipeline.analyze(video, stage -> { });
                    results.add(new Scored(video, label.equals("fake"), report));
                    System.out.printf(Locale.ROOT, "%-5s %-12s %-16s p=%6s raw=%6s faces=%-3d %s%n", label,
                            report.verdict(), report.reason().code(), format(report.fakeProbability()),
                            format(report.rawScore()), report.facesFound(), video.getFileName());
                }
            }
            Summary summary = summarise(results);
            System.out.printf(Locale.ROOT, "videos: %d real, %d fake with a face; %d without (no_face; left out)%n",
                    summary.real(), summary.fake(), summary.noFace());
            System.out.printf(Locale.ROOT, "AUC (calibrated): %.4f, AUC (raw): %.4f%n", summary.auc(), summary.rawAuc());
            System.out.printf(Locale.ROOT, "band %s: real videos called FAKE %d/%d, fake videos called REAL %d/%d, "
                            + "inconclusive (low_confidence) %d%n", pipeline.modelVersion(), summary.realCalledFake(),
                    summary.real(), summary.fakeCalledReal(), summary.fake(), summary.lowConfidence());
        }
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }

    /** Counts, AUCs and verdict errors over the videos that had a face. */
    public record Summary(int real, int fake, int noFace, double auc, double rawAuc, int realCalledFake,
                          int fakeCalledReal, int lowConfidence) {
    }

    public static Summary summarise(List<Scored> results) {
        List<Scored> decided = results.stream().filter(r -> r.report().facesFound() > 0).toList();
        int fakes = (int) decided.stream().filter(Scored::fake).count();
        int reals = decided.size() - fakes;
        return new Summary(reals, fakes, results.size() - decided.size(),
                auc(decided, DeepfakePipeline.Report::fakeProbability), auc(decided, DeepfakePipeline.Report::rawScore),
                (int) decided.stream().filter(r -> !r.fake() && r.report().verdict() == DeepfakePipeline.Verdict.FAKE).count(),
                (int) decided.stream().filter(r -> r.fake() && r.report().verdict() == DeepfakePipeline.Verdict.REAL).count(),
                (int) decided.stream().filter(r -> r.report().reason() == DecisionBand.Reason.LOW_CONFIDENCE).count());
    }

    private static double auc(List<Scored> decided, java.util.function.ToDoubleFunction<DeepfakePipeline.Report> score) {
        return auc(decided.stream().filter(Scored::fake).mapToDouble(r -> score.applyAsDouble(r.report())).toArray(),
                decided.stream().filter(r -> !r.fake()).mapToDouble(r -> score.applyAsDouble(r.report())).toArray());
    }

    /** ROC AUC as the probability that a random fake outscores a random real (ties count half). */
    public static double auc(double[] fakeScores, double[] realScores) {
        if (fakeScores.length == 0 || realScores.length == 0) {
            return Double.NaN;
        }
        double wins = 0;
        for (double fake : fakeScores) {
            for (double real : realScores) {
                wins += fake > real ? 1 : fake == real ? 0.5 : 0;
            }
        }
        return wins / ((double) fakeScores.length * realScores.length);
    }

    private static List<Path> videos(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
