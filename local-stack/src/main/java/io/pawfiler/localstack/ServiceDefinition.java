package io.pawfiler.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One service of the system, where its module lives and the port it serves HTTP + gRPC on (ARCHITECTURE.md). */
public record ServiceDefinition(String name, String module, int port, String schema) {

    public static final List<ServiceDefinition> ALL = List.of(
            new ServiceDefinition("auth-service", "services/auth-service", 8081, "auth"),
            new ServiceDefinition("quiz-service", "services/quiz-service", 8082, "quiz"),
            new ServiceDefinition("community-service", "services/community-service", 8083, "community"),
            new ServiceDefinition("video-analysis-service", "services/video-analysis-service", 8084, "video_analysis"),
            new ServiceDefinition("payment-service", "services/payment-service", 8085, "payment"),
            new ServiceDefinition("dashboard-bff", "services/dashboard-bff", 8086, "dashboard"));

    /** The runtime classpath its build wrote ({@code target/classpath.txt}), present once the module is built. */
    public Path classpathFile(Path projectRoot) {
        return projectRoot.resolve(module).resolve("target/classpath.txt");
    }

    public Path classes(Path projectRoot) {
        return projectRoot.resolve(module).resolve("target/classes");
    }

    /** Built, and an application (not a module still waiting for its code): it has its own configuration. */
    public boolean isBuilt(Path projectRoot) {
        return Files.isRegularFile(classpathFile(projectRoot))
                && Files.isRegularFile(classes(projectRoot).resolve("META-INF/microprofile-config.properties"));
    }
}
