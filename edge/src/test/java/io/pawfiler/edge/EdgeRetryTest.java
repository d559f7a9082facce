package io.pawfiler.edge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pawfiler.api.quiz.GetUserProfileRequest;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.api.quiz.SubmitAnswerRequest;
import io.pawfiler.api.quiz.SubmitAnswerResponse;
import io.pawfiler.api.quiz.UserProfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The edge retries reads as envoy.yaml does: a gRPC read once more after UNAVAILABLE, a REST GET once more after the
 * upstream closed the connection without answering; never a write, which gets Envoy's 503 instead.
 */
class EdgeRetryTest {

    private static final String ISSUER = "https://auth.pawfiler.io";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static RSAKey key;
    private static Server upstream;
    private static ClosingRestUpstream dashboard;
    private static Edge edge;
    private static final FlakyQuiz QUIZ = new FlakyQuiz();

    @BeforeAll
    static void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        String jwks = new JWKSet(key.toPublicJWK()).toString();
        upstream = Server.builder().http(0)
                .service(GrpcService.builder().addService(QUIZ).build())
                .service("/.well-known/jwks.json", (ctx, req) -> com.linecorp.armeria.common.HttpResponse.of(
                        com.linecorp.armeria.common.HttpStatus.OK, MediaType.JSON, jwks))
                .build();
        upstream.start().join();
        dashboard = new ClosingRestUpstream();
        edge = EdgeTest.startEdge("http://127.0.0.1:" + upstream.activeLocalPort(),
                java.util.Map.of("dashboard-bff", "http://127.0.0.1:" + dashboard.port()));
    }

    @AfterAll
    static void stop() throws IOException {
        if (edge != null) {
            edge.close();
        }
        if (upstream != null) {
            upstream.stop().join();
        }
        if (dashboard != null) {
            dashboard.close();
        }
    }

    @Test
    void aGrpcReadIsTriedOnceMoreAfterUnavailableAWriteIsNot() {
        var quiz = quiz();
        QUIZ.calls.set(0);
        QUIZ.unavailableNext.set(true);
        assertEquals("탐정", quiz.getUserProfile(GetUserProfileRequest.getDefaultInstance()).getNickname());
        assertEquals(2, QUIZ.calls.get(), "the read reached the upstream twice");

        QUIZ.calls.set(0);
        QUIZ.unavailableNext.set(true);
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> quiz.submitAnswer(SubmitAnswerRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
        assertEquals(1, QUIZ.calls.get(), "an answer is never sent twice by the edge");
    }

    @Test
    void aRestGetIsTriedOnceMoreWhenTheUpstreamClosedWithoutAnAnswerAPostIsNot() throws Exception {
        dashboard.requests.set(0);
        dashboard.closeNext.set(true);
        HttpResponse<String> read = HTTP.send(rest("/dashboard").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(2, dashboard.requests.get(), "the GET reached the upstream twice");

        dashboard.requests.set(0);
        dashboard.closeNext.set(true);
        HttpResponse<String> write = HTTP.send(rest("/dashboard").POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        // Envoy's answer when an upstream went away before its headers
        assertEquals(503, write.statusCode(), write.body());
        assertEquals("upstream connect error or disconnect/reset before headers. reset reason: connection termination",
                write.body());
        assertEquals(1, dashboard.requests.get(), "a POST is never sent twice by the edge");
    }

    private static HttpRequest.Builder rest(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path))
                .header("authorization", "Bearer " + EdgeTest.token(ISSUER, Instant.now().plusSeconds(600), key));
    }

    private static QuizServiceGrpc.QuizServiceBlockingStub quiz() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + EdgeTest.token(ISSUER, Instant.now().plusSeconds(600), key));
        return GrpcClients.builder("h2c://127.0.0.1:" + edge.port()).responseTimeoutMillis(0)
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                .build(QuizServiceGrpc.QuizServiceBlockingStub.class);
    }

    /** Counts calls; the one after {@code unavailableNext} was set answers UNAVAILABLE. */
    static final class FlakyQuiz extends QuizServiceGrpc.QuizServiceImplBase {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicBoolean unavailableNext = new AtomicBoolean();

        @Override
        public void getUserProfile(GetUserProfileRequest request, StreamObserver<UserProfile> answer) {
            reply(answer, UserProfile.newBuilder().setNickname("탐정").build());
        }

        @Override
        public void submitAnswer(SubmitAnswerRequest request, StreamObserver<SubmitAnswerResponse> answer) {
            reply(answer, SubmitAnswerResponse.getDefaultInstance());
        }

        private <T> void reply(StreamObserver<T> answer, T value) {
            calls.incrementAndGet();
            if (unavailableNext.getAndSet(false)) {
                answer.onError(Status.UNAVAILABLE.withDescription("busy").asRuntimeException());
                return;
            }
            answer.onNext(value);
            answer.onCompleted();
        }
    }

    /**
     * An HTTP/1.1 upstream on a plain socket: after {@code closeNext} was set it reads the next request and closes
     * the connection without a byte of answer (a reset), otherwise it answers 200.
     */
    static final class ClosingRestUpstream implements AutoCloseable {
        final AtomicInteger requests = new AtomicInteger();
        final AtomicBoolean closeNext = new AtomicBoolean();
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        ClosingRestUpstream() throws IOException {
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    Thread.ofVirtual().start(() -> serve(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    requests.incrementAndGet();
                    int length = contentLength(head);
                    in.readNBytes(length);
                    if (closeNext.getAndSet(false)) {
                        connection.setSoLinger(true, 0); // RST: the upstream went away mid-request
                        return;
                    }
                    out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException ignored) {
                // the edge closed its connection
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int b;
            while ((b = in.read()) != -1) {
                head.append((char) b);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    return head.toString();
                }
            }
            return null;
        }

        private static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    return Integer.parseInt(line.substring("content-length:".length()).strip());
                }
            }
            return 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
