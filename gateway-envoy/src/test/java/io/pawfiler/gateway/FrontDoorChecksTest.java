package io.pawfiler.gateway;

import java.util.List;
import java.util.function.Function;

import com.google.protobuf.InvalidProtocolBufferException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every check of FrontDoorChecks rejects a deliberately broken copy of envoy.yaml (or of a service's configuration):
 * a check that could not fail would prove nothing in FrontDoorTest.
 */
class FrontDoorChecksTest {

    static String yaml;
    static ServiceDescriptors descriptors;
    static ServiceConfigs services;

    @BeforeAll
    static void load() {
        yaml = Repo.read("gateway-envoy/envoy.yaml");
        descriptors = ServiceDescriptors.load();
        services = ServiceConfigs.load();
    }

    /** envoy.yaml with one edit; the text edited must occur exactly once, so the edit cannot silently miss. */
    static String broken(String from, String to) {
        int first = yaml.indexOf(from);
        assertTrue(first >= 0, "envoy.yaml no longer contains: " + from);
        assertEquals(first, yaml.lastIndexOf(from), "envoy.yaml contains more than once: " + from);
        return yaml.replace(from, to);
    }

    static void rejects(String brokenYaml, Function<FrontDoorChecks.Inputs, List<String>> check, String expected)
            throws InvalidProtocolBufferException {
        rejects(brokenYaml, services, check, expected);
    }

    static void rejects(String brokenYaml, ServiceConfigs configs, Function<FrontDoorChecks.Inputs, List<String>> check,
                        String expected) throws InvalidProtocolBufferException {
        List<String> problems = check.apply(FrontDoorChecks.Inputs.of(brokenYaml, descriptors, configs));
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                "expected a problem mentioning \"" + expected + "\", got " + problems);
    }

    static void unparsable(String brokenYaml, String expected) {
        Exception e = assertThrows(Exception.class, () -> EnvoyConfig.parse(brokenYaml));
        assertTrue(String.valueOf(e.getMessage()).contains(expected), "expected \"" + expected + "\" in: " + e);
    }

    // --- the strict parse ---

    @Test
    void anUnknownFieldFailsTheParse() {
        unparsable(broken("stat_prefix: front_door", "stat_prefx: front_door"), "stat_prefx");
    }

    @Test
    void aBadEnumFailsTheParse() {
        unparsable(broken("codec_type: AUTO", "codec_type: AUTOMATIC"), "AUTOMATIC");
    }

    @Test
    void aBadDurationFailsTheParse() {
        unparsable(broken("cache_duration: 300s", "cache_duration: 300"), "300");
    }

    @Test
    void anUnknownTypeUrlFailsTheParse() {
        unparsable(broken("envoy.extensions.filters.http.router.v3.Router", "envoy.extensions.filters.http.router.v3.Routr"),
                "Routr");
    }

    @Test
    void aTypeNoExtensionTakesFailsTheParse() {
        // known to the registry (it is imported by the HTTP connection manager), but not a typed config
        unparsable(broken("envoy.extensions.filters.http.grpc_web.v3.GrpcWeb", "envoy.config.core.v3.Locality"),
                "not meant to use");
    }

    @Test
    void aRepeatedKeyFailsTheParse() {
        unparsable(broken("stat_prefix: front_door", "stat_prefix: front_door\n                stat_prefix: again"),
                "duplicate key");
    }

    @Test
    void aV2TypeUrlIsRejected() {
        List<String> problems = FrontDoorChecks.noV2TypeUrls(broken("envoy.extensions.filters.http.router.v3.Router",
                "envoy.config.filter.http.router.v2.Router"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("v2 type URL")), problems.toString());
    }

    // --- Envoy's validation rules ---

    @Test
    void aPortOutOfRangeIsRejected() throws Exception {
        rejects(broken("address: quiz-service, port_value: 8082}}}\n    - name: quiz-service-rest",
                "address: quiz-service, port_value: 80820}}}\n    - name: quiz-service-rest"),
                FrontDoorChecks::apiRules, "at most 65535");
    }

    @Test
    void aMissingRequiredFieldIsRejected() throws Exception {
        String indent = " ".repeat(28);
        rejects(broken(indent + "http_uri:\n" + indent + "  uri: http://auth-service:8081/.well-known/jwks.json\n"
                        + indent + "  cluster: auth-service-rest\n" + indent + "  timeout: 5s\n", ""),
                FrontDoorChecks::apiRules, "http_uri is required");
    }

    @Test
    void aDeprecatedFieldIsRejected() throws Exception {
        rejects(broken("append_action: OVERWRITE_IF_EXISTS_OR_ADD", "append: false"), FrontDoorChecks::apiRules,
                "append is deprecated");
    }

    // --- filters ---

    @Test
    void aPerRouteConfigForAnAbsentFilterIsRejected() throws Exception {
        rejects(broken("envoy.filters.http.grpc_web: *disabled", "envoy.filters.http.grpc_webb: *disabled"),
                FrontDoorChecks::filterChain, "not in http_filters");
    }

    @Test
    void aPerRouteConfigOfTheWrongTypeIsRejected() throws Exception {
        rejects(broken("envoy.filters.http.jwt_authn: *disabled", "envoy.filters.http.jwt_authn: {\"@type\": "
                        + "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy}"),
                FrontDoorChecks::filterChain, "jwt_authn takes one of");
    }

    // --- clusters ---

    @Test
    void aRouteToAMissingClusterIsRejected() throws Exception {
        rejects(broken("match: {prefix: /quiz.QuizService/}\n                          route: {cluster: quiz-service-grpc",
                        "match: {prefix: /quiz.QuizService/}\n                          route: {cluster: quiz-svc-grpc"),
                FrontDoorChecks::clusterReferences, "quiz-svc-grpc, which does not exist");
    }

    @Test
    void aWrongPortIsRejected() throws Exception {
        rejects(broken("address: quiz-service, port_value: 8082}}}\n    - name: quiz-service-rest",
                        "address: quiz-service, port_value: 8092}}}\n    - name: quiz-service-rest"),
                FrontDoorChecks::clusterAddresses, "uses port 8092 but quiz-service listens on 8082");
    }

    @Test
    void aServiceMovingToAnotherPortIsNoticed() throws Exception {
        rejects(yaml, services.with("dashboard-bff", "server.port", "9086"), FrontDoorChecks::clusterAddresses,
                "listens on 9086");
    }

    @Test
    void anUnknownHostIsRejected() throws Exception {
        rejects(broken("address: dashboard-bff, port_value: 8086}}}\n    - name: dashboard-bff-rest",
                        "address: dashboard, port_value: 8086}}}\n    - name: dashboard-bff-rest"),
                FrontDoorChecks::clusterAddresses, "dashboard, which is no service");
    }

    // --- transcoding and reachability ---

    @Test
    void aServiceLeftOutOfTheTranscoderIsRejected() throws Exception {
        rejects(broken("                        - dashboard.DashboardService\n", ""), FrontDoorChecks::transcoding,
                "does not serve dashboard.DashboardService");
    }

    @Test
    void aServiceMissingFromTheDescriptorSetIsRejected() throws Exception {
        rejects(broken("- dashboard.DashboardService", "- dashboard.DashboardService\n                        - shop.ShopService"),
                FrontDoorChecks::transcoding, "shop.ShopService, which is not in");
    }

    @Test
    void aMistypedServicePrefixIsRejected() throws Exception {
        rejects(broken("match: {prefix: /community.CommunityService/}", "match: {prefix: /community.CommunitySvc/}"),
                FrontDoorChecks::transcoding, "/community.CommunityService/CreatePost (application/grpc) matches no route");
    }

    @Test
    void losingTheApiPrefixIsRejected() throws Exception {
        rejects(broken("prefix: /api/", "prefix: /apis/"), FrontDoorChecks::transcoding,
                "/api/quiz.QuizService/SubmitAnswer (application/json) matches no route");
    }

    @Test
    void anErrorDetailMissingFromTheDescriptorSetIsRejected() {
        java.util.Set<String> sent = new java.util.TreeSet<>(FrontDoorChecks.packedDetailTypes());
        sent.add("google.type.Money");
        List<String> problems = FrontDoorChecks.statusDetails(sent, descriptors);
        assertTrue(problems.stream().anyMatch(p -> p.contains("google.type.Money")), problems.toString());
    }

    // --- tokens ---

    @Test
    void aPublicMethodThatDemandsATokenIsRejected() throws Exception {
        rejects(broken("                        - match: {path: /auth.AuthService/Logout}\n", ""),
                FrontDoorChecks::publicOperations, "/auth.AuthService/Logout must be public");
    }

    @Test
    void aMethodOpenedAtTheEdgeOnlyIsRejected() throws Exception {
        rejects(broken("- match: {path: /health}", "- match: {path: /health}\n                        "
                        + "- match: {path: /quiz.QuizService/SubmitAnswer}"),
                FrontDoorChecks::publicOperations, "/api/quiz.QuizService/SubmitAnswer must require a token");
    }

    @Test
    void aMethodAServiceMakesPublicIsNoticed() throws Exception {
        rejects(yaml, services.with("community-service", "pawfiler.security.public-grpc-methods",
                        "community.CommunityService/GetFeed"),
                FrontDoorChecks::publicOperations, "/community.CommunityService/GetFeed must be public");
    }

    @Test
    void anOpenCatchAllIsRejected() throws Exception {
        rejects(broken("- match: {prefix: /}\n                          requires: {provider_name: pawfiler-auth}",
                        "- match: {prefix: /}"),
                FrontDoorChecks::publicOperations, "an unknown path must require a token");
    }

    @Test
    void theTokenCheckDisabledEverywhereIsRejected() throws Exception {
        rejects(broken("                      typed_per_filter_config:\n                        envoy.filters.http.cors:\n",
                        "                      typed_per_filter_config:\n                        envoy.filters.http.jwt_authn: "
                                + "{\"@type\": type.googleapis.com/envoy.config.route.v3.FilterConfig, disabled: true}\n"
                                + "                        envoy.filters.http.cors:\n"),
                FrontDoorChecks::publicOperations, "the token check never runs");
    }

    @Test
    void aForeignIssuerIsRejected() throws Exception {
        rejects(broken("issuer: https://auth.pawfiler.io", "issuer: https://auth.example"),
                FrontDoorChecks::tokenProvider, "auth-service issues https://auth.pawfiler.io");
    }

    @Test
    void aJwksFromTheWrongPortIsRejected() throws Exception {
        rejects(broken("uri: http://auth-service:8081/", "uri: http://auth-service:8091/"),
                FrontDoorChecks::tokenProvider, "the JWKS must come from http://auth-service:8081/.well-known/jwks.json");
    }

    // --- CORS ---

    @Test
    void anyOriginWithCredentialsIsRejected() throws Exception {
        String wildcard = broken("- exact: http://localhost:5173", "- safe_regex: {regex: \".*\"}")
                .replace("allow_credentials: false", "allow_credentials: true");
        rejects(wildcard, FrontDoorChecks::cors, "together with credentials");
    }

    @Test
    void aStarOriginIsRejected() throws Exception {
        rejects(broken("- exact: http://127.0.0.1:5173", "- exact: \"*\""), FrontDoorChecks::cors,
                "CORS origins must be listed exactly");
    }

    @Test
    void aMissingExposedHeaderIsRejected() throws Exception {
        rejects(broken("expose_headers: grpc-status, grpc-message", "expose_headers: grpc-status"),
                FrontDoorChecks::cors, "CORS must expose header grpc-message");
    }

    @Test
    void corsOnBothPassesIsRejected() throws Exception {
        rejects(broken("                            envoy.filters.http.cors: *disabled\n", ""), FrontDoorChecks::cors,
                "CORS runs 2 times");
    }

    // --- retries, timeouts, streaming ---

    @Test
    void retryingAWriteIsRejected() throws Exception {
        rejects(broken("match: {prefix: /quiz.QuizService/}\n                          route: {cluster: quiz-service-grpc, timeout: 15s}",
                        "match: {prefix: /quiz.QuizService/}\n                          route: {cluster: quiz-service-grpc, timeout: 15s, retry_policy: *grpc_read_retries}"),
                FrontDoorChecks::retries, "quiz.QuizService/SubmitAnswer is retried");
    }

    @Test
    void retryingAReadThatWritesIsRejected() throws Exception {
        rejects(broken("match: {path: /video_analysis.VideoAnalysisService/GetUploadUrl}\n"
                                + "                          route: {cluster: video-analysis-service-grpc, timeout: 15s}",
                        "match: {path: /video_analysis.VideoAnalysisService/GetUploadUrl}\n"
                                + "                          route: {cluster: video-analysis-service-grpc, timeout: 15s, retry_policy: *grpc_read_retries}"),
                FrontDoorChecks::retries, "GetUploadUrl is retried");
    }

    @Test
    void retryingOn5xxIsRejected() throws Exception {
        rejects(broken("retry_on: \"reset,connect-failure,refused-stream,unavailable\"",
                        "retry_on: \"reset,connect-failure,refused-stream,unavailable,5xx\""),
                FrontDoorChecks::retries, "only");
    }

    @Test
    void retryingRestWritesIsRejected() throws Exception {
        rejects(broken("match: {prefix: /auth/}\n                          route: {cluster: auth-service-rest, timeout: 15s}",
                        "match: {prefix: /auth/}\n                          route: {cluster: auth-service-rest, timeout: 15s, retry_policy: *rest_read_retries}"),
                FrontDoorChecks::retries, "retries and matches POST /auth/probe");
    }

    @Test
    void aReadWithoutRetriesIsNoticed() throws Exception {
        rejects(broken("route: {cluster: dashboard-bff-grpc, timeout: 15s, retry_policy: *grpc_read_retries}",
                        "route: {cluster: dashboard-bff-grpc, timeout: 15s}"),
                FrontDoorChecks::retries, "dashboard.DashboardService/GetDashboard is a read without retries");
    }

    @Test
    void aShortUploadTimeoutIsRejected() throws Exception {
        rejects(broken("match: {path: /upload-video}\n                          route: {cluster: video-analysis-service-rest, timeout: 300s}",
                        "match: {path: /upload-video}\n                          route: {cluster: video-analysis-service-rest, timeout: 15s}"),
                FrontDoorChecks::timeouts, "POST /upload-video moves a video");
    }

    @Test
    void aTimeoutOnTheFirstApiPassIsRejected() throws Exception {
        rejects(broken("timeout: 0s", "timeout: 30s"), FrontDoorChecks::timeouts, "first /api pass");
    }

    @Test
    void aRouteWithoutTimeoutIsRejected() throws Exception {
        rejects(broken("route: {cluster: payment-service-rest, timeout: 15s}", "route: {cluster: payment-service-rest}"),
                FrontDoorChecks::timeouts, "route payment-webhooks needs an explicit timeout");
    }

    @Test
    void transcodingOnTheUploadRouteIsRejected() throws Exception {
        rejects(broken("route: {cluster: video-analysis-service-rest, timeout: 300s}\n                          typed_per_filter_config: *rest\n"
                                + "                        # signed upload URLs",
                        "route: {cluster: video-analysis-service-rest, timeout: 300s}\n                        # signed upload URLs"),
                FrontDoorChecks::uploadsStream, "the transcoder runs on route video-upload");
    }
}
