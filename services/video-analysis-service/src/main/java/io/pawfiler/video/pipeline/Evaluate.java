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
 * per-video scores, the ROC AUC and the accuracy at the threshold. Any model pair can be evaluated by pointing at
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
                    System.out.printf(Locale.ROOT, "%-5s %-9s %6s faces=%-3d %s%n", label, report.verdict(),
                            Double.isNaN(report.fakeProbability()) ? "-" : String.format(Locale.ROOT, "%.4f",
                                    report.fakeProbability()), report.facesFound(), video.getFileName());
                }
            }
            Summary summary = summarise(results, options.fakeThreshold());
            System.out.printf(Locale.ROOT, "videos: %d real, %d fake, %d inconclusive (no face; left out)%n",
                    summary.real(), summary.fake(), summary.inconclusive());
            System.out.printf(Locale.ROOT, "AUC: %.4f%naccuracy at %.2f: %.4f%nmodel: %s%n", summary.auc(),
                    options.fakeThreshold(), summary.accuracy(), pipeline.modelVersion());
        }
    }

    /** Counts, AUC and accuracy over the videos that had a face. */
    public record Summary(int real, int fake, int inconclusive, double auc, double accuracy) {
    }

    public static Summary summarise(List<Scored> results, double threshold) {
        List<Scored> decided = results.stream().filter(r -> !Double.isNaN(r.report().fakeProbability())).toList();
        int fakes = (int) decided.stream().filter(Scored::fake).count();
        int reals = decided.size() - fakes;
        double correct = decided.stream().filter(r -> (r.report().fakeProbability() >= threshold) == r.fake()).count();
        return new Summary(reals, fakes, results.size() - decided.size(),
                auc(decided.stream().filter(Scored::fake).mapToDouble(r -> r.report().fakeProbability()).toArray(),
                        decided.stream().filter(r -> !r.fake()).mapToDouble(r -> r.report().fakeProbability()).toArray()),
                decided.isEmpty() ? Double.NaN : correct / decided.size());
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
