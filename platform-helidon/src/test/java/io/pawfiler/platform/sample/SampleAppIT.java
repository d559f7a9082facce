package io.pawfiler.platform.sample;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import com.google.rpc.BadRequest;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1alpha.ServerReflectionGrpc;
import io.grpc.reflection.v1alpha.ServerReflectionRequest;
import io.grpc.reflection.v1alpha.ServerReflectionResponse;
import io.grpc.reflection.v1alpha.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pawfiler.platform.sample.api.EchoReply;
import io.pawfiler.platform.sample.api.EchoRequest;
import io.pawfiler.platform.sample.api.EchoServiceGrpc;
import io.pawfiler.testing.RealInfrastructure;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.jwt.TestTokens;
import java.time.Duration;
import java.util.List;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Helidon MP app built from platform serves REST and gRPC on one port, with reflection, health, metrics, OpenAPI. */
@ExtendWith(RealInfrastructure.class)
@HelidonTest
class SampleAppIT {

    private static ManagedChannel channel;

    @Inject
    WebTarget target;

    @AfterAll
    static void closeChannel() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private ManagedChannel channel() {
        if (channel == null) {
            channel = ManagedChannelBuilder.forAddress("localhost", target.getUri().getPort()).usePlaintext().build();
        }
        return channel;
    }

    @Test
    void grpcAndRestShareOnePort() {
        EchoReply reply = echo(TestTokens.shared().token("user-1")).echo(EchoRequest.newBuilder().setMessage("안녕").build());
        assertEquals("안녕", reply.getMessage());

        Response health = target.path("/health/ready").request().get();
        assertEquals(200, health.getStatus(), health.readEntity(String.class));
    }

    private EchoServiceGrpc.EchoServiceBlockingStub echo(String token) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        return EchoServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Test
    void theCallerIsTheVerifiedTokensSubject() {
        EchoReply reply = echo(TestTokens.shared().token("user-42", "user"))
                .echo(EchoRequest.newBuilder().setMessage("who am i").build());
        assertEquals("user-42", reply.getCaller());
    }

    @Test
    void grpcCallsWithoutAValidTokenAreUnauthenticated() {
        String payload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"u\",\"iss\":\"" + TestTokens.ISSUER + "\",\"exp\":4102444800}").getBytes());
        String valid = TestTokens.shared().token("user-1");
        String[] parts = valid.split("\\.");
        List<String> rejected = List.of(
                "",                                                                     // no token
                "not-a-jwt",
                new TestTokens("test-key-1").token("user-1"),                           // signed by another key
                TestTokens.shared().token("user-1", Duration.ofMinutes(-5), TestTokens.ISSUER), // expired
                TestTokens.shared().token("user-1", Duration.ofMinutes(5), "https://evil.example"), // wrong issuer
                "eyJhbGciOiJub25lIn0." + payload + ".",                                // alg none
                parts[0] + "." + payload + "." + parts[2]);                             // tampered payload
        for (String token : rejected) {
            StatusRuntimeException failure = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> echo(token.isEmpty() ? null : token).echo(EchoRequest.newBuilder().setMessage("hi").build()),
                    token);
            assertEquals(Status.Code.UNAUTHENTICATED, failure.getStatus().getCode(), token + " " + failure.getStatus());
        }
    }

    @Test
    void invalidGrpcInputIsInvalidArgumentNamingTheField() throws Exception {
        StatusRuntimeException failure = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> echo(TestTokens.shared().token("user-1")).echo(EchoRequest.newBuilder().setMessage(" ").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, failure.getStatus().getCode(), failure.getStatus().toString());
        assertEquals("message: must not be blank", failure.getStatus().getDescription());
        // the standard detail survives the trip: proves platform's GrpcHeadersUtil fix of Helidon's trailers is in effect
        BadRequest badRequest = StatusProto.fromThrowable(failure).getDetails(0).unpack(BadRequest.class);
        assertEquals("message", badRequest.getFieldViolations(0).getField());
    }

    @Test
    void aUserOverTheirRateLimitIsRefusedWithARetryDelayOthersAreNot() {
        String alice = "shouter-" + java.util.UUID.randomUUID();
        EchoRequest shout = EchoRequest.newBuilder().setMessage("hey").build();
        for (int i = 0; i < 3; i++) {
            assertEquals("HEY", echo(TestTokens.shared().token(alice)).shout(shout).getMessage());
        }
        StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class, () -> echo(TestTokens.shared().token(alice)).shout(shout));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().startsWith("rate_limited: at most 3 calls of sample.EchoService/Shout"),
                refused.getStatus().getDescription());
        com.google.rpc.Status details = StatusProto.fromThrowable(refused);
        assertTrue(details.getDetailsList().stream().anyMatch(d -> d.is(com.google.rpc.RetryInfo.class)), "a retry delay");
        // another user, and the same user's unlimited RPC, are served
        assertEquals("HEY", echo(TestTokens.shared().token("other-" + alice)).shout(shout).getMessage());
        assertEquals("hey", echo(TestTokens.shared().token(alice)).echo(shout).getMessage());
    }

    @Test
    void reflectionListsTheRealProtoNames() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel())
                .serverReflectionInfo(GrpcClients.completing(answer));
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        ServerReflectionResponse response = answer.get(10, TimeUnit.SECONDS);
        requests.onCompleted();
        Set<String> services = response.getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).collect(Collectors.toSet());
        assertEquals(Set.of("sample.EchoService", "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"),
                services);
    }

    @Test
    void grpcHealthServesOnceMigrated() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
    }

    @Test
    void observabilityEndpointsAnswer() {
        String ready = target.path("/health/ready").request().get(String.class);
        assertTrue(ready.contains("\"database\"") && ready.contains("UP"), ready);
        Response metrics = target.path("/metrics").request().accept("text/plain").get();
        assertEquals(200, metrics.getStatus());
        String openapi = target.path("/openapi").request().get(String.class);
        assertTrue(openapi.contains("/notes"), openapi);
    }

    @Test
    void restErrorsAreProblemJsonNamingTheField() {
        Response response = target.path("/notes").request()
                .post(jakarta.ws.rs.client.Entity.json(Map.of("user_id", "u-1", "text", "")));
        assertEquals(400, response.getStatus());
        assertEquals("application/problem+json", response.getMediaType().toString());
        String body = response.readEntity(String.class);
        assertTrue(body.contains("\"field\":\"text\"") && body.contains("\"status\":400"), body);

        Response missing = target.path("/notes/members/nobody").request().get();
        assertEquals(404, missing.getStatus());
        assertEquals("application/problem+json", missing.getMediaType().toString());

        Response malformed = target.path("/notes").request()
                .post(jakarta.ws.rs.client.Entity.entity("{not json", "application/json"));
        assertEquals(400, malformed.getStatus(), malformed.readEntity(String.class));
    }

    @Test
    void aRestBodyOverTheLimitIs413BeforeItIsParsedAnnouncedOrNot() throws Exception {
        String big = "{\"user_id\":\"u-1\",\"text\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        Response announced = target.path("/notes").request()
                .post(jakarta.ws.rs.client.Entity.entity(big, "application/json"));
        assertEquals(413, announced.getStatus());
        assertEquals("application/problem+json", announced.getMediaType().toString());
        assertTrue(announced.readEntity(String.class).contains("larger than 1048576 bytes"));

        // chunked: no Content-Length, cut off while read: a 413, or the connection closed under the sender
        try {
            java.net.http.HttpResponse<String> chunked = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
                    java.net.http.HttpRequest.newBuilder(target.path("/notes").getUri())
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                    () -> new java.io.ByteArrayInputStream(big.getBytes())))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(413, chunked.statusCode(), chunked.body());
        } catch (java.io.IOException cutOff) {
            // the server stopped reading and closed the connection: the body was not taken either
        }
    }

    /**
     * A body that ends before its Content-Length (the sender closed its side: a client gone, a proxy that gave up) is
     * the request's fault: 400 naming the body, not a 500 incident.
     */
    @Test
    void aBodyShorterThanItsContentLengthIs400() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("localhost", target.getUri().getPort())) {
            socket.setSoTimeout(10_000);
            String partial = "{\"user_id\":\"u-1\",\"text\":\"cut";
            socket.getOutputStream().write(("POST /notes HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 4096\r\n\r\n" + partial)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains("\"field\":\"body\"") && answer.contains("declared length"), answer);
        }
    }
}
