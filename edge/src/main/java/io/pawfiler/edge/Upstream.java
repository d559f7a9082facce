package io.pawfiler.edge;

import io.grpc.ServiceDescriptor;
import io.pawfiler.api.auth.AuthServiceGrpc;
import io.pawfiler.api.community.CommunityServiceGrpc;
import io.pawfiler.api.dashboard.DashboardServiceGrpc;
import io.pawfiler.api.payment.PaymentServiceGrpc;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.api.video.VideoAnalysisServiceGrpc;

/**
 * The six services behind the edge: where each listens by default (HTTP + gRPC h2c on one port) and its gRPC
 * service, from api-contracts' generated descriptors (they carry the {@code google.api.http} rules the transcoder
 * reads).
 */
public enum Upstream {
    AUTH("auth-service", 8081, AuthServiceGrpc.getServiceDescriptor()),
    QUIZ("quiz-service", 8082, QuizServiceGrpc.getServiceDescriptor()),
    COMMUNITY("community-service", 8083, CommunityServiceGrpc.getServiceDescriptor()),
    VIDEO("video-analysis-service", 8084, VideoAnalysisServiceGrpc.getServiceDescriptor()),
    PAYMENT("payment-service", 8085, PaymentServiceGrpc.getServiceDescriptor()),
    DASHBOARD("dashboard-bff", 8086, DashboardServiceGrpc.getServiceDescriptor());

    private final String serviceName;
    private final int defaultPort;
    private final ServiceDescriptor grpcService;

    Upstream(String serviceName, int defaultPort, ServiceDescriptor grpcService) {
        this.serviceName = serviceName;
        this.defaultPort = defaultPort;
        this.grpcService = grpcService;
    }

    /** As in {@code ServiceDefinition} of local-stack and the config key {@code pawfiler.edge.upstream.<name>}. */
    public String serviceName() {
        return serviceName;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public ServiceDescriptor grpcService() {
        return grpcService;
    }
}
