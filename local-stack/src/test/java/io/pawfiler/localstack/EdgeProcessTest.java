package io.pawfiler.localstack;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EdgeProcessTest {

    @Test
    void theLocalEnvoyConfigPointsEveryUpstreamAndTheDescriptorSetAtThisMachine() {
        String compose = """
                proto_descriptor: /etc/envoy/pawfiler.pb
                uri: http://auth-service:8081/.well-known/jwks.json
                - endpoint: {address: {socket_address: {address: auth-service, port_value: 8081}}}
                - endpoint: {address: {socket_address: {address: dashboard-bff, port_value: 8086}}}
                - endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 8080}}}
                address: video-analysis-service
                # auth-service-grpc keeps its cluster name
                - name: auth-service-grpc
                """;
        String local = EdgeProcess.localEnvoyConfig(compose, Path.of("/repo/pawfiler.pb"));
        assertEquals("""
                proto_descriptor: /repo/pawfiler.pb
                uri: http://localhost:8081/.well-known/jwks.json
                - endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 8081}}}
                - endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 8086}}}
                - endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 8080}}}
                address: 127.0.0.1
                # auth-service-grpc keeps its cluster name
                - name: auth-service-grpc
                """, local);
    }
}
