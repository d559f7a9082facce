package io.pawfiler.localstack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A JDK 25 AOT cache per service (JEP 483/514/515: classes loaded and linked, method profiles), in
 * {@code .pawfiler/aot/<service>.aot}: it roughly halves start-up. A cache is only valid for the exact JDK, JVM flags
 * and jars it was trained with (the JVM silently ignores a mismatching one, and nobody would retrain), so a
 * fingerprint of those sits beside it ({@code <service>.aot.key}); a missing or different one means retrain.
 * The JVM archives classes from jars only, so a service running from {@code target/classes} gets no cache.
 */
final class AotCache {

    private final Path dir;

    AotCache(Path dir) {
        this.dir = dir;
    }

    /** {@code -XX:AOTCacheOutput} (one-step training) came with JDK 25. */
    static boolean supported() {
        return Runtime.version().feature() >= 25;
    }

    /** Why this service gets no cache at all, or null. */
    static String unusableReason(Path root, ServiceDefinition service) {
        return service.currentJar(root).isPresent() ? null
                : "runs from target/classes (no current jar: ./mvnw package)";
    }

    Path file(ServiceDefinition service) {
        return dir.resolve(service.name() + ".aot");
    }

    boolean isFresh(Path root, ServiceDefinition service) throws IOException {
        Path key = keyFile(service);
        return Files.isRegularFile(file(service)) && Files.isRegularFile(key)
                && Files.readString(key).equals(fingerprint(root, service));
    }

    /** Flags for a normal run with the cache (default {@code -XX:AOTMode=auto}: an unusable cache is skipped). */
    List<String> useOptions(ServiceDefinition service) {
        return List.of("-XX:AOTCache=" + file(service));
    }

    /** Flags for a training run: the JVM writes the cache when it exits (after SIGTERM too). */
    List<String> trainOptions(ServiceDefinition service) throws IOException {
        Files.createDirectories(dir);
        discard(service);
        return List.of("-XX:AOTCacheOutput=" + pending(service));
    }

    /** After a training run exited normally: moves its cache into place with its fingerprint. */
    boolean publish(Path root, ServiceDefinition service) throws IOException {
        Path pending = pending(service);
        if (!Files.isRegularFile(pending) || Files.size(pending) == 0) {
            Files.deleteIfExists(pending);
            return false;
        }
        Files.move(pending, file(service), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(keyFile(service), fingerprint(root, service));
        return true;
    }

    /** Removes what a failed or killed training run left (its cache and the JVM's temporary configuration). */
    void discard(ServiceDefinition service) throws IOException {
        Files.deleteIfExists(pending(service));
        Files.deleteIfExists(Path.of(pending(service) + ".config"));
    }

    private Path pending(ServiceDefinition service) {
        return dir.resolve(service.name() + ".aot.training");
    }

    private Path keyFile(ServiceDefinition service) {
        return dir.resolve(service.name() + ".aot.key");
    }

    /** JDK build, the jvm.options files' flags, the classpath and every entry's size and modification time. */
    private static String fingerprint(Path root, ServiceDefinition service) throws IOException {
        StringBuilder key = new StringBuilder(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n');
        for (String optionFile : service.jvmOptionFiles(root)) {
            // flags only: editing a comment does not need a new cache
            for (String line : Files.readAllLines(Path.of(optionFile.substring(1)))) {
                String flags = line.replaceFirst("#.*", "").strip();
                if (!flags.isEmpty()) {
                    key.append(flags).append('\n');
                }
            }
        }
        String classpath = service.runtimeClasspath(root);
        key.append(classpath).append('\n');
        for (String entry : classpath.split(File.pathSeparator)) {
            File file = new File(entry);
            key.append(file.length()).append(' ').append(file.lastModified()).append('\n');
        }
        return key.toString();
    }
}
