package io.pawfiler.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Docker Compose itself accepts compose.yaml (`docker-compose config`: the schema, interpolation, references), given
 * every variable compose.env.example lists. No Docker engine is needed, only the docker-compose binary (Debian:
 * {@code apt-get install docker-compose}; .ci/run installs it). Without it this test fails rather than skips: a check
 * that quietly does not run proves nothing.
 */
class DockerComposeTest {

    static final String BINARY = "docker-compose";

    @Test
    void composeAcceptsTheFile() throws Exception {
        Result result = config(Repo.read("compose.yaml"), filledEnvironment());
        assertEquals(0, result.exit(), result.output());
    }

    @Test
    void composeRejectsABrokenCopy() throws Exception {
        String broken = Repo.read("compose.yaml").replace("condition: service_healthy", "condition: service_ready");
        Result result = config(broken, filledEnvironment());
        assertNotEquals(0, result.exit(), "docker-compose accepted an unknown depends_on condition");
    }

    @Test
    void composeRequiresTheSecrets() throws Exception {
        Result result = config(Repo.read("compose.yaml"), Repo.read("compose.env.example"));
        assertNotEquals(0, result.exit(), "compose.yaml started without its secrets");
        assertTrue(result.output().contains("set it in .env") || result.output().contains("in .env"), result.output());
    }

    /** compose.env.example with a placeholder in every empty setting. */
    static String filledEnvironment() {
        return Repo.read("compose.env.example").lines()
                .map(line -> line.matches("[A-Z][A-Z0-9_]*=") ? line + "placeholder-0123456789abcdef0123456789" : line)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    record Result(int exit, String output) {
    }

    static Result config(String composeYaml, String environment) throws IOException, InterruptedException {
        assertTrue(onPath(), BINARY + " is not on the PATH: apt-get install docker-compose (.ci/run installs it)");
        // the copy sits in the repository root so the file's relative paths (build context, mounts) resolve alike
        Path file = Files.createTempFile(Repo.ROOT, ".compose-check-", ".yaml");
        Path env = Files.createTempFile(".compose-check-", ".env");
        try {
            Files.writeString(file, composeYaml);
            Files.writeString(env, environment);
            Process process = new ProcessBuilder(BINARY, "-f", file.toString(), "--env-file", env.toString(), "config", "-q")
                    .directory(Repo.ROOT.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), BINARY + " did not finish");
            return new Result(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(env);
        }
    }

    static boolean onPath() {
        return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, BINARY)));
    }
}
