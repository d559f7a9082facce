package io.pawfiler.gateway;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** compose.yaml, docker/Dockerfile and compose.env.example have every property ComposeChecks describes. */
class ComposeTest {

    static ComposeChecks.Inputs in;

    @BeforeAll
    static void load() throws Exception {
        in = inputs(Repo.read("compose.yaml"), Repo.read(ComposeChecks.DOCKERFILE), ServiceConfigs.load());
    }

    static ComposeChecks.Inputs inputs(String compose, String dockerfile, ServiceConfigs services) throws Exception {
        return ComposeChecks.Inputs.of(compose, dockerfile, Repo.read("compose.env.example"), Repo.read(".gitignore"),
                new FrontDoor(EnvoyConfig.parse(Repo.read("gateway-envoy/envoy.yaml"))), services);
    }

    static void none(List<String> problems) {
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void runsEveryServiceFromTheImageWithHealthChecks() {
        none(ComposeChecks.services(in));
    }

    @Test
    void configuresServicesThroughKeysTheyRead() {
        none(ComposeChecks.environment(in, LocalRunners.serviceEnvironment()));
    }

    @Test
    void takesSecretsFromTheIgnoredEnvFile() {
        none(ComposeChecks.secrets(in));
    }

    @Test
    void startsEnvoyWithTheFrontDoorAndItsUpstreams() {
        none(ComposeChecks.envoy(in));
    }

    @Test
    void runsKafkaAsTheProjectsBroker() {
        none(ComposeChecks.kafka(in, LocalRunners.brokerProperties()));
    }

    @Test
    void keepsFilesInNamedVolumes() {
        none(ComposeChecks.volumes(in));
    }

    @Test
    void buildsImagesThatRunServicesAsThePawfilerLauncherDoes() {
        none(ComposeChecks.image(in.dockerfile(), LocalRunners.nativeMemoryEnvironment()));
    }
}
