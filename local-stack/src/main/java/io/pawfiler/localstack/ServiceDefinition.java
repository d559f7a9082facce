package io.pawfiler.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** One service of the system, where its module lives and the port it serves HTTP + gRPC on (ARCHITECTURE.md). */
public record ServiceDefinition(String name, String module, int port, String schema) {

    public static final List<ServiceDefinition> ALL = List.of(
            new ServiceDefinition("auth-service", "services/auth-service", 8081, "auth"),
            new ServiceDefinition("quiz-service", "services/quiz-service", 8082, "quiz"),
            new ServiceDefinition("community-service", "services/community-service", 8083, "community"),
            new ServiceDefinition("video-analysis-service", "services/video-analysis-service", 8084, "video_analysis"),
            new ServiceDefinition("payment-service", "services/payment-service", 8085, "payment"),
            new ServiceDefinition("dashboard-bff", "services/dashboard-bff", 8086, "dashboard"));

    /** JVM flags every service runs with (a java @argfile, also meant for container images). */
    public static final String SHARED_JVM_OPTIONS = "services/jvm.options";

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

    /**
     * The module's jar ({@code target/<name>-<version>.jar}) if it holds the current build: not older than anything
     * in {@code target/classes} (a later {@code mvn compile} without {@code package} leaves a stale jar behind).
     */
    public Optional<Path> currentJar(Path projectRoot) {
        Path target = projectRoot.resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            Optional<Path> jar = files
                    .filter(f -> {
                        String file = f.getFileName().toString();
                        return file.startsWith(name + "-") && file.endsWith(".jar")
                                && !file.endsWith("-sources.jar") && !file.endsWith("-tests.jar")
                                && !file.endsWith("-javadoc.jar");
                    })
                    .findFirst();
            if (jar.isEmpty()) {
                return jar;
            }
            long built = jar.get().toFile().lastModified();
            try (Stream<Path> classes = Files.walk(classes(projectRoot))) {
                return classes.anyMatch(f -> f.toFile().lastModified() > built) ? Optional.empty() : jar;
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Its jar (or {@code target/classes} when the jar is missing or stale) followed by {@code target/classpath.txt}.
     * Jars only is what an AOT cache needs: it archives no classes from directories.
     */
    public String runtimeClasspath(Path projectRoot) throws IOException {
        Path first = currentJar(projectRoot).orElse(classes(projectRoot));
        return first + java.io.File.pathSeparator + Files.readString(classpathFile(projectRoot)).trim();
    }

    /** {@code @services/jvm.options}, then {@code @services/<name>/jvm.options} if present (later flags win). */
    public List<String> jvmOptionFiles(Path projectRoot) {
        List<String> files = new ArrayList<>();
        Path own = projectRoot.resolve(module).resolve("jvm.options");
        for (Path file : List.of(projectRoot.resolve(SHARED_JVM_OPTIONS), own)) {
            if (Files.isRegularFile(file)) {
                files.add("@" + file);
            }
        }
        return files;
    }

}
