package io.pawfiler.systemtests;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import io.pawfiler.localstack.ServiceDefinition;
import io.pawfiler.localstack.ServiceProcess;
import io.pawfiler.testing.kafka.TestKafka;
import io.pawfiler.testing.postgres.TestPostgres;
import io.pawfiler.testing.grpc.GrpcClients;

/**
 * What the resilience scenarios (BrokerOutageIT, CrashRecoveryIT, VideoScaleOutIT) share: sign-ups at auth, uploads at
 * video-analysis, a test clip, stubs with a deadline per call, and waiting for an effect with a bound.
 */
final class Resilience {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** The seed's answer key (db/quiz/002-seed-questions.sql): multiple-choice questions 1-4. */
    static final List<String> QUESTIONS = List.of("00000000-0000-4000-8000-000000000001",
            "00000000-0000-4000-8000-000000000002", "00000000-0000-4000-8000-000000000003",
            "00000000-0000-4000-8000-000000000004");
    /** quiz-service's energy: 100, 5 per answer. */
    static final int ANSWERS_PER_PLAYER = 20;
    /** video-analysis-service's free plan: analyses per month. */
    static final int UPLOADS_PER_PLAYER = 5;

    private Resilience() {
    }

    record Account(String id, String token) {
    }

    /** An HTTP answer: its status and body (status -1: no answer at all, the body then says why). */
    record Reply(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }

        JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }
    }

    static Map<String, String> authEnv() {
        return Map.of("PAWFILER_AUTH_KEY_ENCRYPTION_SECRET", HexFormat.of().formatHex(new SecureRandom().generateSeed(24)));
    }

    static String jwks(int authPort) {
        return "http://localhost:" + authPort + "/.well-known/jwks.json";
    }

    /** video-analysis with 8 sampled frames and the malloc settings of ./pawfiler up. */
    static Map<String, String> videoEnv(String jwks, Path storage, Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PAWFILER_AUTH_JWKS_URL", jwks,
                "PAWFILER_VIDEO_STORAGE_DIR", storage.toString(),
                "PAWFILER_VIDEO_FRAMES", "8",
                "MALLOC_ARENA_MAX", "2", "MALLOC_MMAP_THRESHOLD_", "131072", "MALLOC_TRIM_THRESHOLD_", "131072"));
        env.putAll(more);
        return env;
    }

    /**
     * Starts the service again on its port (after a crash) and waits until it is ready; its log goes to a file of
     * its own ({@link Services#freshLog}), so the crashed run's log is kept.
     */
    static ServiceProcess restart(String name, TestPostgres.Database database, Map<String, String> extraEnv, int port,
                                  Duration readyTimeout) throws IOException, InterruptedException {
        ServiceDefinition definition = ServiceDefinition.ALL.stream()
                .filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "PAWFILER_DB_URL", database.jdbcUrl(),
                "PAWFILER_DB_USER", database.user(),
                "PAWFILER_DB_PASSWORD", database.password(),
                "PAWFILER_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers()));
        env.putAll(extraEnv);
        ServiceProcess process = ServiceProcess.start(Services.projectRoot(), definition, port, env,
                Services.freshLog(name));
        try {
            return process.awaitReady(readyTimeout);
        } catch (RuntimeException | InterruptedException e) {
            process.close();
            throw e;
        }
    }

    /** POST /auth/signup; never throws: a refused connection is status -1. */
    static Reply trySignUp(ServiceProcess auth, String nickname) {
        JsonObject body = Json.createObjectBuilder()
                .add("email", "resilience." + UUID.randomUUID().toString().substring(0, 12) + "@pawfiler.test")
                .add("password", "password-123").add("nickname", nickname).add("avatar_emoji", "🦊").build();
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(auth.baseUrl() + "/auth/signup"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Reply(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, e.toString());
        }
    }

    static Account account(Reply signedUp) {
        JsonObject json = signedUp.json();
        return new Account(json.getJsonObject("user").getString("id"), json.getString("token"));
    }

    static Account signUp(ServiceProcess auth, String nickname) {
        Reply reply = trySignUp(auth, nickname);
        if (!reply.ok()) {
            throw new AssertionError("sign-up failed: " + reply);
        }
        return account(reply);
    }

    /** {@code POST /upload-video}, multipart field {@code video}, as the original frontend uploads; never throws. */
    static Reply tryUpload(ServiceProcess video, Account account, byte[] clip, String filename) {
        String boundary = "resilience-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"video\"; filename=\"" + filename
                + "\"\r\nContent-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(video.baseUrl() + "/upload-video"))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + account.token())
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, clip, tail))).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Reply(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, e.toString());
        }
    }

    static String upload(ServiceProcess video, Account account, byte[] clip, String filename) {
        Reply reply = tryUpload(video, account, clip, filename);
        if (reply.status() != 202) {
            throw new AssertionError("upload failed: " + reply);
        }
        return reply.json().getString("task_id");
    }

    /**
     * An H.264 clip of the public-domain astronaut portrait (a frontal face) the video tests use, {@code seconds}
     * long at {@code width}x{@code height} (the face scaled to the height, padded), made once per name.
     */
    static byte[] faceClip(String name, int seconds, int width, int height) throws IOException, InterruptedException {
        Path picture = Services.projectRoot().resolve("services/video-analysis-service/src/test/resources/faces/astronaut.png");
        Path clip = Services.projectRoot().resolve("system-tests/target/resilience/" + name + ".mp4");
        if (!Files.exists(clip)) {
            Files.createDirectories(clip.getParent());
            int pad = (width - height) / 2;
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-loop", "1", "-i", picture.toString(),
                    "-vf", "scale=" + height + ":" + height + ",pad=" + width + ":" + height + ":" + pad
                    + ":0,noise=alls=8:allf=t,format=yuv420p", "-t", String.valueOf(seconds), "-r", "25",
                    "-c:v", "libx264", "-preset", "veryfast", "-crf", "26", clip.toString())
                    .redirectErrorStream(true).start();
            String output = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ffmpeg.waitFor(120, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
                throw new AssertionError("ffmpeg (on the PATH) failed: " + output);
            }
        }
        return Files.readAllBytes(clip);
    }

    /** A deadline on each call of a stub (a stub's own withDeadlineAfter is one instant for all its calls). */
    static ClientInterceptor eachCallDeadline(Duration deadline) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return next.newCall(method, options.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
            }
        };
    }

    static <S extends io.grpc.stub.AbstractStub<S>> S stub(S stub, Account account) {
        return stub.withInterceptors(GrpcClients.bearer(account.token()), eachCallDeadline(Duration.ofSeconds(20)));
    }

    /** Polls {@code read} until {@code done} holds or {@code bound} passed; the last value read is in the failure. */
    static <T> T await(String what, Duration bound, Supplier<T> read, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        T last = read.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + bound.toSeconds() + " s waiting for " + what
                        + "; last seen: " + last);
            }
            Thread.sleep(250);
            last = read.get();
        }
        return last;
    }

    static void await(String what, Duration bound, BooleanSupplier done) throws InterruptedException {
        await(what, bound, done::getAsBoolean, Boolean::booleanValue);
    }

    /** The sum of a Prometheus counter's samples (every tag combination) in the service's /metrics, 0 if absent. */
    static double metric(ServiceProcess service, String name) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).header("Accept", "text/plain").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$")
                    .matcher(response.body());
            while (sample.find()) {
                sum += Double.parseDouble(sample.group(2));
            }
            return sum;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String seconds(long nanos) {
        return String.format("%.1f s", nanos / 1e9);
    }
}
