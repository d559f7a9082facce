package io.pawfiler.edge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.pawfiler.api.quiz.GetRandomQuestionRequest;
import io.pawfiler.api.quiz.QuizQuestion;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.api.video.AnalysisEvent;
import io.pawfiler.api.video.AnalysisStage;
import io.pawfiler.api.video.UploadVideoRequest;
import io.pawfiler.api.video.UploadVideoResponse;
import io.pawfiler.api.video.VideoAnalysisServiceGrpc;
import io.pawfiler.api.video.VideoMetadata;
import io.pawfiler.api.video.WatchAnalysisRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge in this JVM in front of a stand-in upstream (Armeria serving fake quiz and video services and a JWKS): what
 * the forwarder hands the upstream (the caller's token, a deadline from the route timeout or the client's earlier one),
 * client and server streams, and the token check's refusals. The real services come in system-tests' EdgeContractIT.
 */
class EdgeTest {

    private static final String ISSUER = "https://auth.pawfiler.io";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /**
     * For refusals: over h2c the edge answers a 401 before it has read the body and resets the stream (CANCEL), and
     * the JDK client then reports the reset instead of the answer when the body was not all sent yet (seen in CI).
     */
    private static final HttpClient HTTP_1_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static RSAKey key;
    private static Server upstream;
    private static Edge edge;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        String jwks = new JWKSet(key.toPublicJWK()).toString();
        upstream = Server.builder().http(0)
                .service(GrpcService.builder().addService(new FakeQuiz()).addService(new FakeVideo()).build())
                .service("/.well-known/jwks.json", (ctx, req) ->
                        com.linecorp.armeria.common.HttpResponse.of(com.linecorp.armeria.common.HttpStatus.OK,
                                MediaType.JSON, jwks))
                .build();
        upstream.start().join();
        edge = startEdge("http://127.0.0.1:" + upstream.activeLocalPort(), java.util.Map.of());
        base = "http://127.0.0.1:" + edge.port();
    }

    /**
     * An edge on free ports whose upstreams all are {@code url} (which also serves the JWKS) unless
     * {@code upstreamOverrides} (service name → URL) names another, once it has fetched the keys.
     */
    static Edge startEdge(String url, java.util.Map<String, String> upstreamOverrides) throws InterruptedException {
        String upstreamPrefix = "pawfiler.edge.upstream.";
        Edge started = new Edge(EdgeSettings.from(name -> {
            if (name.startsWith(upstreamPrefix)) {
                return upstreamOverrides.getOrDefault(name.substring(upstreamPrefix.length()), url);
            }
            return switch (name) {
                case "pawfiler.edge.port", "pawfiler.edge.admin-port" -> "0";
                case "pawfiler.auth.jwks-url" -> url + "/.well-known/jwks.json";
                default -> null;
            };
        })).start();
        for (int i = 0; i < 100 && !started.isReady(); i++) {
            Thread.sleep(50);
        }
        assertTrue(started.isReady(), "the first JWKS fetch");
        return started;
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
        }
        if (upstream != null) {
            upstream.stop().join();
        }
    }

    @Test
    void theUpstreamGetsTheCallersTokenAndADeadlineFromTheRouteTimeout() throws Exception {
        String token = token(ISSUER, Instant.now().plusSeconds(600), key);
        QuizQuestion seen = quiz(token).getRandomQuestion(GetRandomQuestionRequest.getDefaultInstance());
        assertEquals("Bearer " + token, seen.getExplanation());
        long deadlineMillis = Long.parseLong(seen.getCategory());
        assertTrue(deadlineMillis > 10_000 && deadlineMillis <= 15_000, "15 s route timeout: " + deadlineMillis);

        // an earlier deadline of the client's own wins
        QuizQuestion hurried = quiz(token).withDeadlineAfter(3, TimeUnit.SECONDS)
                .getRandomQuestion(GetRandomQuestionRequest.getDefaultInstance());
        assertTrue(Long.parseLong(hurried.getCategory()) <= 3_000, hurried.getCategory());

        // the same over JSON, proto names and zeros printed
        HttpResponse<String> json = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/quiz.QuizService/GetRandomQuestion"))
                .header("authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, json.statusCode(), json.body());
        assertTrue(json.body().contains("\"max_energy\":0") && json.body().contains("\"media_url\":\"\""), json.body());

        // a JSON body is bounded as Envoy's transcoder bounds it (a public method: no token needed to send one)
        byte[] huge = new byte[Edge.MAX_JSON_REQUEST_BYTES + 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        HttpResponse<String> tooBig = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/auth.AuthService/Login"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, tooBig.statusCode(), tooBig.body());
    }

    @Test
    void clientAndServerStreamsAreForwardedMessageByMessage() {
        String token = token(ISSUER, Instant.now().plusSeconds(600), key);
        var video = GrpcClients.builder("h2c://127.0.0.1:" + edge.port())
                .intercept(MetadataUtils.newAttachHeadersInterceptor(bearer(token)))
                .build(VideoAnalysisServiceGrpc.VideoAnalysisServiceStub.class);
        java.util.concurrent.CompletableFuture<UploadVideoResponse> done = new java.util.concurrent.CompletableFuture<>();
        StreamObserver<UploadVideoRequest> upload = video.uploadVideo(new StreamObserver<>() {
            @Override
            public void onNext(UploadVideoResponse value) {
                done.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        upload.onNext(UploadVideoRequest.newBuilder().setMetadata(VideoMetadata.newBuilder().setFilename("a.mp4")).build());
        for (int i = 0; i < 20; i++) {
            upload.onNext(UploadVideoRequest.newBuilder().setChunk(ByteString.copyFrom(new byte[64 * 1024])).build());
        }
        upload.onCompleted();
        assertEquals(20 * 64 * 1024, done.join().getSizeBytes());

        var watch = GrpcClients.builder("h2c://127.0.0.1:" + edge.port())
                // no deadline of its own (Armeria's client would send its 15 s default as grpc-timeout)
                .responseTimeoutMillis(0)
                .intercept(MetadataUtils.newAttachHeadersInterceptor(bearer(token)))
                .build(VideoAnalysisServiceGrpc.VideoAnalysisServiceBlockingStub.class);
        var events = watch.watchAnalysis(WatchAnalysisRequest.newBuilder().setTaskId("t").build());
        int count = 0;
        while (events.hasNext()) {
            AnalysisEvent event = events.next();
            count++;
            if (event.getStage() == AnalysisStage.COMPLETED) {
                // the stream's 300 s route timeout reached the upstream
                assertTrue(Long.parseLong(event.getMessage()) > 200_000, event.getMessage());
            }
        }
        assertEquals(3, count);
    }

    @Test
    void tokensThatAreExpiredFromAnotherIssuerOrSignedByAnotherKeyAreRefused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        assertEquals("Jwt is expired", refusal(token(ISSUER, Instant.now().minusSeconds(120), key)));
        assertEquals("Jwt verification fails", refusal(token("https://elsewhere", Instant.now().plusSeconds(600), key)));
        assertEquals("Jwt verification fails", refusal(token(ISSUER, Instant.now().plusSeconds(600), stranger)));
        assertEquals("Jwt verification fails", refusal("not.a.jwt"));
        StatusRuntimeException grpc = assertThrows(StatusRuntimeException.class,
                () -> quiz(null).getRandomQuestion(GetRandomQuestionRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, grpc.getStatus().getCode());
    }

    private static String refusal(String token) throws Exception {
        HttpResponse<String> answer = HTTP_1_1.send(HttpRequest.newBuilder(URI.create(base + "/quiz.QuizService/GetRandomQuestion"))
                .header("authorization", "Bearer " + token).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, answer.statusCode(), answer.body());
        return answer.body().replaceFirst(".*\"message\":\"([^\"]*)\".*", "$1");
    }

    private static QuizServiceGrpc.QuizServiceBlockingStub quiz(String token) {
        var builder = GrpcClients.builder("h2c://127.0.0.1:" + edge.port()).responseTimeoutMillis(0);
        if (token != null) {
            builder.intercept(MetadataUtils.newAttachHeadersInterceptor(bearer(token)));
        }
        return builder.build(QuizServiceGrpc.QuizServiceBlockingStub.class);
    }

    private static Metadata bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return headers;
    }

    static String token(String issuer, Instant expires, RSAKey signer) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(),
                    new JWTClaimsSet.Builder().issuer(issuer).subject("user-1").expirationTime(Date.from(expires))
                            .build());
            jwt.sign(new RSASSASigner(signer));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request time left in the upstream's own context (Armeria reads grpc-timeout into it). */
    private static long deadlineMillis() {
        return ServiceRequestContext.current().requestTimeoutMillis();
    }

    /** Answers with what reached it: the authorization header (explanation) and its deadline (category). */
    static final class FakeQuiz extends QuizServiceGrpc.QuizServiceImplBase {
        @Override
        public void getRandomQuestion(GetRandomQuestionRequest request, StreamObserver<QuizQuestion> answer) {
            answer.onNext(QuizQuestion.newBuilder().setId("q1")
                    .setExplanation(ServiceRequestContext.current().request().headers().get("authorization", ""))
                    .setCategory(String.valueOf(deadlineMillis())).build());
            answer.onCompleted();
        }
    }

    /** Counts an upload's bytes; a watch sends three events, the last with the deadline it saw. */
    static final class FakeVideo extends VideoAnalysisServiceGrpc.VideoAnalysisServiceImplBase {
        @Override
        public StreamObserver<UploadVideoRequest> uploadVideo(StreamObserver<UploadVideoResponse> answer) {
            return new StreamObserver<>() {
                long bytes;

                @Override
                public void onNext(UploadVideoRequest value) {
                    bytes += value.getChunk().size();
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    answer.onNext(UploadVideoResponse.newBuilder().setTaskId("t").setSizeBytes(bytes).build());
                    answer.onCompleted();
                }
            };
        }

        @Override
        public void watchAnalysis(WatchAnalysisRequest request, StreamObserver<AnalysisEvent> events) {
            events.onNext(AnalysisEvent.newBuilder().setTaskId("t").setStage(AnalysisStage.DECODING).build());
            events.onNext(AnalysisEvent.newBuilder().setTaskId("t").setStage(AnalysisStage.SCORING).build());
            events.onNext(AnalysisEvent.newBuilder().setTaskId("t").setStage(AnalysisStage.COMPLETED)
                    .setMessage(String.valueOf(deadlineMillis())).build());
            events.onCompleted();
        }
    }
}
