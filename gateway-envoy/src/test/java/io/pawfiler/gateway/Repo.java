package io.pawfiler.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's files are: the tests read the real envoy.yaml, compose.yaml and the services' sources. */
final class Repo {

    static final Path ROOT = locate();

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory holding the root pom, services/ and gateway-envoy/ (surefire runs in gateway-envoy/). */
    private static Path locate() {
        String configured = System.getProperty("pawfiler.root");
        Path dir = (configured != null ? Path.of(configured) : Path.of("")).toAbsolutePath().normalize();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("pom.xml")) && Files.isDirectory(candidate.resolve("services"))
                    && Files.isDirectory(candidate.resolve("gateway-envoy"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no Pawfiler repository at or above " + dir);
    }
}
