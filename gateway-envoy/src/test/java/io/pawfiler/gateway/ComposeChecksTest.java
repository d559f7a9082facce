package io.pawfiler.gateway;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every ComposeChecks check rejects a deliberately broken copy of compose.yaml, the Dockerfile or a service config. */
class ComposeChecksTest {

    static String compose;
    static String dockerfile;
    static ServiceConfigs services;

    @BeforeAll
    static void load() {
        compose = Repo.read("compose.yaml");
        dockerfile = Repo.read(ComposeChecks.DOCKERFILE);
        services = ServiceConfigs.load();
    }

    static String edit(String text, String from, String to) {
        int first = text.indexOf(from);
        assertTrue(first >= 0, "no longer contains: " + from);
        assertEquals(first, text.lastIndexOf(from), "contains more than once: " + from);
        return text.replace(from, to);
    }

    static void rejects(ComposeChecks.Inputs in, Function<ComposeChecks.Inputs, List<String>> check, String expected) {
        List<String> problems = check.apply(in);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                "expected a problem mentioning \"" + expected + "\", got " + problems);
    }

    static ComposeChecks.Inputs brokenCompose(String from, String to) throws Exception {
        return ComposeTest.inputs(edit(compose, from, to), dockerfile, services);
    }

    @Test
    void aMissingServiceIsRejected() throws Exception {
        rejects(ComposeTest.inputs(compose, dockerfile, services.withRenamed("quiz-service", "leaderboard-service")),
                ComposeChecks::services, "service leaderboard-service is missing");
    }

    @Test
    void aHealthCheckOnTheWrongPortIsRejected() throws Exception {
        rejects(brokenCompose("http://127.0.0.1:8082/health/ready", "http://127.0.0.1:8092/health/ready"),
                ComposeChecks::services, "quiz-service: the health check must ask /health/ready on port 8082");
    }

    @Test
    void aServiceMovingPortsIsNoticed() throws Exception {
        rejects(ComposeTest.inputs(compose, dockerfile, services.with("quiz-service", "server.port", "9082")),
                ComposeChecks::services, "on port 9082");
    }

    @Test
    void notWaitingForTheDatabaseIsRejected() throws Exception {
        rejects(brokenCompose("    postgres: {condition: service_healthy}\n", "    postgres: {condition: service_started}\n"),
                ComposeChecks::services, "must wait for postgres to be healthy");
    }

    @Test
    void aPublishedServicePortIsRejected() throws Exception {
        rejects(brokenCompose("      PAWFILER_DASHBOARD_COMMUNITY_PORT: 8083\n",
                        "      PAWFILER_DASHBOARD_COMMUNITY_PORT: 8083\n    ports: [\"8086:8086\"]\n"),
                ComposeChecks::services, "dashboard-bff publishes ports");
    }

    @Test
    void theSandboxCheckoutPublishedBeyondLoopbackIsRejected() throws Exception {
        rejects(brokenCompose("      - \"127.0.0.1:8095:8095\"\n", "      - \"8095:8095\"\n"),
                ComposeChecks::services, "payment-service publishes ports (8095:8095)");
    }

    @Test
    void aMisspeltVariableIsRejected() throws Exception {
        rejects(brokenCompose("PAWFILER_COMMUNITY_QUIZ_HOST: quiz-service", "PAWFILER_COMMUNITY_QUIZ_HOSTNAME: quiz-service"),
                in -> ComposeChecks.environment(in, LocalRunners.serviceEnvironment()),
                "PAWFILER_COMMUNITY_QUIZ_HOSTNAME names no configuration key");
    }

    @Test
    void aVariableThePawfilerLauncherSetsIsRequired() throws Exception {
        rejects(brokenCompose("      PAWFILER_VIDEO_UPLOAD_URL_SECRET: ${PAWFILER_VIDEO_UPLOAD_URL_SECRET:?set it in .env (see compose.env.example)}\n", ""),
                in -> ComposeChecks.environment(in, LocalRunners.serviceEnvironment()),
                "./pawfiler up sets PAWFILER_VIDEO_UPLOAD_URL_SECRET");
    }

    @Test
    void aWrongPortForAnotherServiceIsRejected() throws Exception {
        rejects(brokenCompose("PAWFILER_DASHBOARD_COMMUNITY_PORT: 8083", "PAWFILER_DASHBOARD_COMMUNITY_PORT: 8084"),
                in -> ComposeChecks.environment(in, LocalRunners.serviceEnvironment()),
                "PAWFILER_DASHBOARD_COMMUNITY_PORT must be 8083");
    }

    @Test
    void aDatabaseOutsideComposeIsRejected() throws Exception {
        rejects(brokenCompose("jdbc:postgresql://postgres:5432/pawfiler", "jdbc:postgresql://localhost:5432/pawfiler"),
                in -> ComposeChecks.environment(in, LocalRunners.serviceEnvironment()), "PAWFILER_DB_URL must point");
    }

    @Test
    void aLiteralSecretIsRejected() throws Exception {
        rejects(brokenCompose("PAWFILER_AUTH_KEY_ENCRYPTION_SECRET: ${PAWFILER_AUTH_KEY_ENCRYPTION_SECRET:?set it in .env (see compose.env.example)}",
                        "PAWFILER_AUTH_KEY_ENCRYPTION_SECRET: hunter2hunter2hunter2"),
                ComposeChecks::secrets, "PAWFILER_AUTH_KEY_ENCRYPTION_SECRET is a secret and must come from .env");
    }

    @Test
    void anUndocumentedVariableIsRejected() throws Exception {
        rejects(brokenCompose("${PAWFILER_PUBLIC_URL:-http://localhost:8080}\n    volumes:\n      - videos",
                        "${PAWFILER_VIDEO_URL:-http://localhost:8080}\n    volumes:\n      - videos"),
                ComposeChecks::secrets, "${PAWFILER_VIDEO_URL} is not documented");
    }

    @Test
    void anEnvFileThatGitWouldCommitIsRejected() throws Exception {
        ComposeChecks.Inputs in = ComposeTest.inputs(compose, dockerfile, services);
        rejects(new ComposeChecks.Inputs(in.compose(), in.dockerfile(), in.envExample(),
                in.gitignore().replace("\n.env\n", "\n"), in.door(), in.services()), ComposeChecks::secrets, ".gitignore must ignore .env");
    }

    @Test
    void aDescriptorSetInTheWrongPlaceIsRejected() throws Exception {
        rejects(ComposeTest.inputs(compose, edit(dockerfile, "pawfiler.pb /etc/envoy/pawfiler.pb", "pawfiler.pb /etc/envoy/proto.pb"),
                services), ComposeChecks::envoy, "the envoy stage must copy descriptors/pawfiler.pb to /etc/envoy/pawfiler.pb");
    }

    @Test
    void anUnmountedEnvoyConfigIsRejected() throws Exception {
        rejects(brokenCompose("./gateway-envoy/envoy.yaml:/etc/envoy/envoy.yaml:ro", "./gateway-envoy/envoy.yaml:/etc/envoy/front-door.yaml:ro"),
                ComposeChecks::envoy, "envoy must run with -c <path>");
    }

    @Test
    void aPublicAdminPortIsRejected() throws Exception {
        rejects(brokenCompose("\"127.0.0.1:9901:9901\"", "\"9901:9901\""), ComposeChecks::envoy,
                "admin port 9901 must be published on 127.0.0.1 only");
    }

    @Test
    void anUpstreamComposeDoesNotRunIsRejected() throws Exception {
        rejects(brokenCompose("  dashboard-bff:\n    <<: *service", "  dashboard:\n    <<: *service"), ComposeChecks::envoy,
                "points at dashboard-bff, no compose service");
    }

    @Test
    void envoyNotWaitingForAServiceIsRejected() throws Exception {
        rejects(brokenCompose("      payment-service: {condition: service_healthy}\n", ""), ComposeChecks::envoy,
                "envoy must wait for payment-service");
    }

    @Test
    void kafkaDroppingOldEventsIsRejected() throws Exception {
        rejects(brokenCompose("KAFKA_LOG_RETENTION_MS: -1", "KAFKA_LOG_RETENTION_MS: 604800000"),
                in -> ComposeChecks.kafka(in, LocalRunners.brokerProperties()), "KAFKA_LOG_RETENTION_MS must be -1");
    }

    @Test
    void kafkaDataOutsideAVolumeIsRejected() throws Exception {
        rejects(brokenCompose("KAFKA_LOG_DIRS: /var/lib/kafka/data", "KAFKA_LOG_DIRS: /tmp/kraft-combined-logs"),
                in -> ComposeChecks.kafka(in, LocalRunners.brokerProperties()), "KAFKA_LOG_DIRS must be a named volume");
    }

    @Test
    void videosOutsideAVolumeIsRejected() throws Exception {
        rejects(brokenCompose("PAWFILER_VIDEO_STORAGE_DIR: /var/lib/pawfiler/videos", "PAWFILER_VIDEO_STORAGE_DIR: /tmp/videos"),
                ComposeChecks::volumes, "PAWFILER_VIDEO_STORAGE_DIR=/tmp/videos is not a named volume");
    }

    @Test
    void aVolumeTheImageDoesNotPrepareIsRejected() throws Exception {
        rejects(ComposeTest.inputs(compose, edit(dockerfile, " /var/lib/pawfiler/community-media\n", "\n"), services),
                ComposeChecks::volumes, "must create /var/lib/pawfiler/community-media");
    }

    @Test
    void anImageRunningAsRootIsRejected() {
        List<String> problems = ComposeChecks.image(edit(dockerfile, "USER pawfiler\n", ""), LocalRunners.nativeMemoryEnvironment());
        assertTrue(problems.stream().anyMatch(p -> p.contains("unprivileged USER")), problems.toString());
    }

    @Test
    void anImageWithOtherMallocSettingsIsRejected() {
        List<String> problems = ComposeChecks.image(edit(dockerfile, "MALLOC_ARENA_MAX=2", "MALLOC_ARENA_MAX=8"),
                LocalRunners.nativeMemoryEnvironment());
        assertTrue(problems.stream().anyMatch(p -> p.contains("MALLOC_ARENA_MAX=2")), problems.toString());
    }

    @Test
    void anImageIgnoringJvmOptionsIsRejected() {
        List<String> problems = ComposeChecks.image(edit(dockerfile, "ENTRYPOINT [\"java\", \"@/app/jvm.options\", ",
                "ENTRYPOINT [\"java\", "), LocalRunners.nativeMemoryEnvironment());
        assertTrue(problems.stream().anyMatch(p -> p.contains("@argfile")), problems.toString());
    }
}
