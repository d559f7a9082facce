package io.pawfiler.edge;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.grpc.Status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EdgeRulesTest {

    private final EdgeRoutes routes = new EdgeRoutes(EdgeSettings.DEFAULT_PUBLIC_GRPC_METHODS);

    @Test
    void theApiPrefixIsStrippedOnce() {
        assertEquals("/quiz.QuizService/SubmitAnswer", EdgeRoutes.withoutApiPrefix("/api/quiz.QuizService/SubmitAnswer"));
        assertEquals("/api/x", EdgeRoutes.withoutApiPrefix("/api/api/x"));
        assertEquals("/apix", EdgeRoutes.withoutApiPrefix("/apix"));
    }

    @Test
    void onlyThePublicOperationsGoWithoutAToken() {
        for (String path : List.of("/auth.AuthService/Login", "/auth.AuthService/Signup",
                "/auth.AuthService/RefreshToken", "/auth.AuthService/Logout", "/auth/login", "/auth/signup",
                "/auth/refresh", "/auth/logout", "/health", "/payments/webhooks/toss")) {
            assertEquals(EdgeRoutes.Access.PUBLIC, routes.access(path), path);
        }
        for (String path : List.of("/auth.AuthService/GetProfile", "/auth/me", "/auth/login/x", "/quiz.QuizService/X",
                "/dashboard", "/upload-video", "/", "/healthz")) {
            assertEquals(EdgeRoutes.Access.TOKEN, routes.access(path), path);
        }
        assertEquals(EdgeRoutes.Access.TOKEN_IF_SENT, routes.access("/media/abc"));
        assertEquals(EdgeRoutes.Access.TOKEN_IF_SENT, routes.access("/uploads/abc"));
    }

    @Test
    void grpcTimeoutsFollowEnvoysVideoRoutes() {
        assertEquals(Duration.ofSeconds(300),
                EdgeRoutes.grpcTimeout("/video_analysis.VideoAnalysisService/WatchAnalysis"));
        assertEquals(Duration.ofSeconds(15),
                EdgeRoutes.grpcTimeout("/video_analysis.VideoAnalysisService/GetUploadUrl"));
        assertEquals(Duration.ofSeconds(90),
                EdgeRoutes.grpcTimeout("/video_analysis.VideoAnalysisService/AnalyzeVideo"));
        assertEquals(Duration.ofSeconds(15), EdgeRoutes.grpcTimeout("/quiz.QuizService/SubmitAnswer"));
    }

    @Test
    void grpcCodesMapToEnvoysHttpStatuses() {
        assertEquals(400, GrpcStatusJson.httpStatus(Status.Code.INVALID_ARGUMENT).code());
        assertEquals(401, GrpcStatusJson.httpStatus(Status.Code.UNAUTHENTICATED).code());
        assertEquals(404, GrpcStatusJson.httpStatus(Status.Code.NOT_FOUND).code());
        assertEquals(409, GrpcStatusJson.httpStatus(Status.Code.ALREADY_EXISTS).code());
        assertEquals(429, GrpcStatusJson.httpStatus(Status.Code.RESOURCE_EXHAUSTED).code());
        assertEquals(499, GrpcStatusJson.httpStatus(Status.Code.CANCELLED).code());
        assertEquals(503, GrpcStatusJson.httpStatus(Status.Code.UNAVAILABLE).code());
        assertEquals(504, GrpcStatusJson.httpStatus(Status.Code.DEADLINE_EXCEEDED).code());
    }

    @Test
    void aClientsGrpcTimeoutIsRead() {
        assertEquals(TimeUnit.MILLISECONDS.toNanos(300), GrpcForwarder.timeoutNanos("300m"));
        assertEquals(TimeUnit.SECONDS.toNanos(15), GrpcForwarder.timeoutNanos("15S"));
        assertNull(GrpcForwarder.timeoutNanos("15x"));
        assertNull(GrpcForwarder.timeoutNanos("S"));
        assertNull(GrpcForwarder.timeoutNanos(null));
    }

    @Test
    void settingsComeFromPropertiesOrTheirEnvironmentNames() {
        EdgeSettings settings = EdgeSettings.from(name -> switch (name) {
            case "pawfiler.edge.port" -> "18080";
            case "pawfiler.edge.upstream.quiz-service" -> "http://quiz:9000";
            case "pawfiler.edge.cors.allowed-origins" -> "https://pawfiler.site, http://localhost:5173";
            default -> null;
        });
        assertEquals(18080, settings.port());
        assertEquals("http://quiz:9000", settings.upstream(Upstream.QUIZ).toString());
        assertEquals("http://localhost:8081", settings.upstream(Upstream.AUTH).toString());
        assertEquals(List.of("https://pawfiler.site", "http://localhost:5173"), settings.allowedOrigins());
        assertEquals(EdgeSettings.DEFAULT_PUBLIC_GRPC_METHODS, settings.publicGrpcMethods());
    }
}
