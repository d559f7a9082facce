package io.pawfiler.video.service;

import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.pawfiler.video.pipeline.DeepfakePipeline;
import io.pawfiler.video.pipeline.DeepfakeScorer;
import io.pawfiler.video.pipeline.FaceDetector;
import io.pawfiler.video.pipeline.FaceFinder;
import io.pawfiler.video.pipeline.HaarFaceFinder;
import io.pawfiler.video.pipeline.ModelManifest;
import io.pawfiler.video.pipeline.ScoreAggregation;

/**
 * The two models, loaded and warmed once per process at start-up (ONNX Runtime sessions are thread-safe).
 * Readiness is DOWN when either failed to load, so no traffic reaches an instance that cannot analyse.
 */
@ApplicationScoped
public class Models {

    private static final System.Logger LOGGER = System.getLogger(Models.class.getName());

    private final DeepfakePipeline pipeline;
    private final String failure;
    private FaceFinder detector;
    private DeepfakeScorer scorer;

    @Inject
    Models(@ConfigProperty(name = "pawfiler.video.detector-manifest") String detectorManifest,
           @ConfigProperty(name = "pawfiler.video.scorer-manifest") String scorerManifest,
           @ConfigProperty(name = "pawfiler.video.frames") int frames,
           @ConfigProperty(name = "pawfiler.video.aggregation") ScoreAggregation aggregation) {
        DeepfakePipeline loaded = null;
        String error = null;
        try {
            detector = loadDetector(detectorManifest);
            scorer = new DeepfakeScorer(ModelManifest.load(scorerManifest));
            // the verdict band comes with the scorer (its manifest), chosen from the model's measured error rates
            loaded = new DeepfakePipeline(detector, scorer, new DeepfakePipeline.Options(frames, aggregation, 5));
            long started = System.nanoTime();
            loaded.warmUp();
            LOGGER.log(System.Logger.Level.INFO, "models " + loaded.modelVersion() + " loaded and warmed up in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
        } catch (RuntimeException | LinkageError e) {
            error = e.toString();
            LOGGER.log(System.Logger.Level.ERROR, "models not loaded: analysis is unavailable on this instance", e);
        }
        this.pipeline = loaded;
        this.failure = error;
    }

    /** The CNN detector; OpenCV's Haar cascade when the CNN cannot be loaded. */
    private static FaceFinder loadDetector(String manifest) {
        try {
            return new FaceDetector(ModelManifest.load(manifest));
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "face detector " + manifest + " not loaded (" + e.getMessage()
                    + "); falling back to OpenCV's Haar cascade");
            return new HaarFaceFinder();
        }
    }

    /**
     * Loads (and warms) the models while the application starts, so that readiness is never UP before they can
     * analyse and the first analysis is as fast as the next ones.
     */
    void loadAtStartup(@Observes @Initialized(ApplicationScoped.class) Object started) {
        pipeline();
    }

    /** Why the models did not load, when they did not. */
    public String failure() {
        return failure;
    }

    public Optional<DeepfakePipeline> pipeline() {
        return Optional.ofNullable(pipeline);
    }

    /** Readiness: DOWN when a model failed to load. */
    @ApplicationScoped
    @Readiness
    public static class Health implements HealthCheck {

        @Inject
        Models models;

        @Override
        public HealthCheckResponse call() {
            // through methods: Models is a client proxy here, its fields are not the bean's
            return models.pipeline()
                    .map(pipeline -> HealthCheckResponse.named("models").up()
                            .withData("version", pipeline.modelVersion()).build())
                    .orElseGet(() -> HealthCheckResponse.named("models").down()
                            .withData("error", String.valueOf(models.failure())).build());
        }
    }

    @PreDestroy
    void close() {
        if (detector != null) {
            detector.close();
        }
        if (scorer != null) {
            scorer.close();
        }
    }
}
