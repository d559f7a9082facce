package io.pawfiler.gateway;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** gateway-envoy/envoy.yaml has every property FrontDoorChecks describes. */
class FrontDoorTest {

    static String yaml;
    static FrontDoorChecks.Inputs in;

    @BeforeAll
    static void load() throws Exception {
        yaml = Repo.read("gateway-envoy/envoy.yaml");
        in = FrontDoorChecks.Inputs.of(yaml, ServiceDescriptors.load(), ServiceConfigs.load());
    }

    static void none(List<String> problems) {
        assertEquals(List.of(), problems, "envoy.yaml: " + String.join("\n", problems));
    }

    @Test
    void answersATokenRefusalWithTheJsonOfAGrpcError() {
        var mappers = in.door().hcm.getLocalReplyConfig().getMappersList();
        var unauthenticated = mappers.stream()
                .filter(m -> m.getFilter().getStatusCodeFilter().getComparison().getValue().getDefaultValue() == 401)
                .findFirst().orElseThrow(() -> new AssertionError("no local reply mapper for jwt_authn's 401"));
        var json = unauthenticated.getBodyFormatOverride().getJsonFormat().getFieldsMap();
        assertEquals(16.0, json.get("code").getNumberValue(), "UNAUTHENTICATED, as convert_grpc_status writes it");
        assertEquals("%LOCAL_REPLY_BODY%", json.get("message").getStringValue());
        assertEquals("application/json", unauthenticated.getBodyFormatOverride().getContentType());
    }

    @Test
    void usesNoV2TypeUrl() {
        none(FrontDoorChecks.noV2TypeUrls(yaml));
    }

    @Test
    void keepsEnvoysValidationRulesAndNoDeprecatedField() {
        none(FrontDoorChecks.apiRules(in));
    }

    @Test
    void givesEachFilterItsConfigType() {
        none(FrontDoorChecks.filterChain(in));
    }

    @Test
    void routesOnlyToClustersThatExist() {
        none(FrontDoorChecks.clusterReferences(in));
    }

    @Test
    void pointsClustersAtTheServicesPorts() {
        none(FrontDoorChecks.clusterAddresses(in));
    }

    @Test
    void transcodesEveryMethodWithAndWithoutApi() {
        none(FrontDoorChecks.transcoding(in));
    }

    @Test
    void canPrintEveryErrorDetailTheServicesSend() {
        none(FrontDoorChecks.statusDetails(FrontDoorChecks.packedDetailTypes(), in.descriptors()));
    }

    @Test
    void letsThroughExactlyThePublicMethods() {
        none(FrontDoorChecks.publicOperations(in));
    }

    @Test
    void checksTokensAgainstAuthService() {
        none(FrontDoorChecks.tokenProvider(in));
    }

    @Test
    void allowsOnlyTheConfiguredOriginsOnce() {
        none(FrontDoorChecks.cors(in));
    }

    @Test
    void retriesReadsOnly() {
        none(FrontDoorChecks.retries(in));
    }

    @Test
    void boundsEveryRouteInTime() {
        none(FrontDoorChecks.timeouts(in));
    }

    @Test
    void streamsUploads() {
        none(FrontDoorChecks.uploadsStream(in));
    }
}
