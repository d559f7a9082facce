package io.pawfiler.kafkabroker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * How a broker child JVM is launched: the same {@code java} as this JVM, the broker's jars (listed by this module's
 * build in {@code broker.classpath}) plus a tiny jar holding {@link BrokerMain}, and optionally a class-data-sharing
 * archive.
 *
 * <p>Class data sharing (CDS): the first broker JVM dumps the classes it loaded into an archive when it exits
 * ({@code -XX:ArchiveClassesAtExit}, costs ~1.5 s once); later ones map it ({@code -XX:SharedArchiveFile}) and start
 * in about half the time. Archive and launcher jar live in a per-user cache directory, keyed by JDK and classpath;
 * each dump goes to a file of its own and is moved into place only after its JVM exited normally, so concurrent
 * test JVMs never read a half-written archive.
 */
final class BrokerJvm {

    static final String MAIN_CLASS = BrokerMain.class.getName();

    private final Path cacheDir;
    private final String classpath;
    private final Path archive;

    private BrokerJvm(Path cacheDir, String classpath, Path archive) {
        this.cacheDir = cacheDir;
        this.classpath = classpath;
        this.archive = archive;
    }

    /** @param classDataSharing whether to use (and on first use create) a CDS archive */
    static BrokerJvm create(boolean classDataSharing) {
        Path cacheDir = cacheDir();
        String classpath = brokerClasspath() + File.pathSeparator + launcherJar(cacheDir);
        Path archive = classDataSharing
                ? cacheDir.resolve("kafka-broker-" + sha256(archiveKey(classpath)).substring(0, 16) + ".jsa")
                : null;
        return new BrokerJvm(cacheDir, classpath, archive);
    }

    /** A command line for the child; {@link #publishArchive} after the child exited. */
    Launch command(List<String> jvmOptions, List<String> systemProperties, List<String> mainArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(javaHome(), "bin", "java").toString());
        command.addAll(jvmOptions);
        Path pendingArchive = null;
        if (archive != null) {
            if (Files.isRegularFile(archive)) {
                command.add("-XX:SharedArchiveFile=" + archive);
            } else {
                pendingArchive = cacheDir.resolve(archive.getFileName() + "." + ProcessHandle.current().pid()
                        + "-" + System.nanoTime() + ".tmp");
                command.add("-XX:ArchiveClassesAtExit=" + pendingArchive);
            }
        }
        command.addAll(systemProperties);
        command.add("-cp");
        command.add(classpath);
        command.add(MAIN_CLASS);
        command.addAll(mainArgs);
        return new Launch(List.copyOf(command), pendingArchive);
    }

    /** One launch's command line, and where its JVM dumps a CDS archive at exit (null: none requested). */
    record Launch(List<String> command, Path pendingArchive) {
    }

    /**
     * Moves the archive dumped by an exited child into place; drops it if the child was killed (a SIGKILL during
     * the dump leaves a partial file).
     */
    void publishArchive(Launch launch, int exitCode) {
        Path pending = launch.pendingArchive();
        if (pending == null) {
            return;
        }
        try {
            boolean killed = exitCode == 128 + 9;
            if (!killed && Files.isRegularFile(pending) && Files.size(pending) > 0) {
                Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(pending);
            }
        } catch (IOException e) {
            // a missing archive only costs start-up time
        }
    }

    /**
     * What an archive is only valid for: this JDK build and these exact jars (the JVM would silently ignore an
     * archive whose jars changed, and we would never write a fresh one).
     */
    private static String archiveKey(String classpath) {
        StringBuilder key = new StringBuilder(javaHome()).append('\n').append(System.getProperty("java.vm.version"));
        for (String entry : classpath.split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            key.append('\n').append(jar);
            try {
                key.append(' ').append(Files.size(jar)).append(' ').append(Files.getLastModifiedTime(jar).toMillis());
            } catch (IOException e) {
                key.append(" ?");
            }
        }
        return key.toString();
    }

    private static String javaHome() {
        return System.getProperty("java.home");
    }

    private static Path cacheDir() {
        String configured = System.getProperty("pawfiler.kafka.cache-dir");
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path preferred = configured != null ? Path.of(configured)
                : (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                        .resolve("pawfiler").resolve("kafka-broker");
        try {
            return Files.createDirectories(preferred);
        } catch (IOException | UnsupportedOperationException e) {
            try {
                return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"),
                        "pawfiler-kafka-broker-" + System.getProperty("user.name")));
            } catch (IOException fallback) {
                throw new UncheckedIOException("No writable cache directory for the Kafka broker launcher", fallback);
            }
        }
    }

    private static String brokerClasspath() {
        try (InputStream list = BrokerJvm.class.getResourceAsStream("broker.classpath")) {
            if (list == null) {
                throw new IllegalStateException("io/pawfiler/kafkabroker/broker.classpath is missing from the "
                        + "kafka-broker jar: build that module with Maven (it writes the list of the broker's jars)");
            }
            String classpath = new String(list.readAllBytes(), StandardCharsets.UTF_8).trim();
            for (String jar : classpath.split(File.pathSeparator)) {
                if (!Files.isRegularFile(Path.of(jar))) {
                    throw new IllegalStateException("Kafka broker jar " + jar + " is missing (broker.classpath was "
                            + "written on another machine or the local Maven repository changed): rebuild kafka-broker");
                }
            }
            return classpath;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link BrokerMain} in a jar of its own, so the child never sees this JVM's classpath (which may hold
     * kafka-clients 3.x) and the classpath stays stable for CDS (which cannot archive from directories).
     */
    private static Path launcherJar(Path cacheDir) {
        String resource = MAIN_CLASS.replace('.', '/') + ".class";
        byte[] mainClass;
        try (InputStream in = BrokerJvm.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " not found next to " + BrokerJvm.class.getName());
            }
            mainClass = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path jar = cacheDir.resolve("launcher-" + sha256(mainClass).substring(0, 16) + ".jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        try {
            Path tmp = Files.createTempFile(cacheDir, "launcher-", ".tmp");
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
            try (OutputStream file = Files.newOutputStream(tmp);
                 JarOutputStream out = new JarOutputStream(file, manifest)) {
                out.putNextEntry(new JarEntry(resource));
                out.write(mainClass);
                out.closeEntry();
            }
            Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the broker launcher jar " + jar, e);
        }
    }

    private static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
