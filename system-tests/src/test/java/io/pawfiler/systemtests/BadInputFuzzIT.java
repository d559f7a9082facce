package io.pawfiler.systemtests;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pawfiler.localstack.ServiceDefinition;
import io.pawfiler.localstack.ServiceProcess;
import io.pawfiler.systemtests.GrpcInputs.Expect;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.jwt.TestTokens;
import io.pawfiler.testing.postgres.TestPostgres;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input everywhere (issue #15): every gRPC method of every service, enumerated from the api-contracts descriptor
 * set (a new RPC is fuzzed without touching this test), and every REST operation of every service's {@code /openapi}
 * document, get random, boundary, wrong-type, oversize, deeply nested and invalid UTF-8 input, with valid, absent,
 * forged, expired and tampered tokens; all six services run in their own JVMs on the test kit's PostgreSQL and
 * Kafka (the stack {@link EdgeContractIT} used just before: {@link EdgeStack#shared()}) and are called directly over
 * the network on loopback.
 *
 * <p>Every answer must be OK or a clear refusal: no INTERNAL / UNKNOWN / DATA_LOSS / hung call, no HTTP 5xx; every
 * refusal carries a message (problem+json for REST), INVALID_ARGUMENT / 400 names the field, no stack trace; inputs
 * no valid client can send (invalid UTF-8, wrong wire types, truncation, deep nesting, oversize, bad tokens) are
 * refused; and no refused call changes anything: a fingerprint of every row of every service schema (outbox and
 * inbox included) is taken around them. Inputs come from a seeded {@link Random}: {@code -Dfuzz.seed=N} reruns one.
 */
@UsesSharedStack
@org.junit.jupiter.api.Order(2)
class BadInputFuzzIT {

    private static final long SEED = Long.getLong("fuzz.seed", 20261201L);
    /** Random well-typed messages per gRPC method, on top of the fixed cases (boundaries, bad bytes, tokens). */
    private static final int RANDOM_PER_METHOD = Integer.getInteger("fuzz.random-per-method", 12);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(Long.getLong("fuzz.deadline-seconds", 20));
    /** {@code -Dfuzz.services=quiz,auth}: only these proto packages / schemas are fuzzed (default: all). */
    private static final Set<String> ONLY = Set.of(System.getProperty("fuzz.services", "").split(",")).stream()
            .filter(s -> !s.isBlank()).collect(Collectors.toSet());
    private static final Set<Status.Code> SERVER_FAILURES = Set.of(Status.Code.INTERNAL, Status.Code.UNKNOWN,
            Status.Code.DATA_LOSS, Status.Code.DEADLINE_EXCEEDED, Status.Code.UNIMPLEMENTED, Status.Code.CANCELLED);
    /** A message naming its field: {@code field: ...}, {@code parent.child: ...}, {@code items[2].name: ...}. */
    private static final Pattern FIELD_PREFIX = Pattern.compile("^([a-z_][a-z0-9_]*(\\[\\d+])?)(\\.[a-z_][a-z0-9_]*(\\[\\d+])?)*: .+",
            Pattern.DOTALL);
    private static final Pattern STACK_TRACE = Pattern.compile("(\\n\\s*at [\\w.$]+\\(|\\.java:\\d+\\)|Caused by:|Exception:)");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static TestPostgres.Database database;
    private static final Map<String, ServiceProcess> SERVICES = new LinkedHashMap<>();
    private static final Map<String, ManagedChannel> CHANNELS = new HashMap<>();
    private static DatabaseFingerprint fingerprint;
    private static Account user;
    private static Account admin;
    private static Set<String> publicMethods;

    record Account(String id, String token) {
    }

    @BeforeAll
    static void startServices() throws Exception {
        System.out.println("BadInputFuzzIT seed " + SEED + " (rerun with -Dfuzz.seed=" + SEED + ")");
        EdgeStack stack = EdgeStack.shared();
        database = stack.database();
        for (ServiceDefinition service : ServiceDefinition.ALL) {
            SERVICES.put(service.schema(), stack.services().get(service.name()));
        }
        SERVICES.forEach((schema, process) -> CHANNELS.put(schema, GrpcClients.plaintext(process.port())));
        user = signUp("fuzz." + UUID.randomUUID().toString().substring(0, 8) + "@pawfiler.test");
        // the admin: an account made admin in auth's table, then signed in again
        String adminEmail = "fuzz.admin." + UUID.randomUUID().toString().substring(0, 8) + "@pawfiler.test";
        Services.promoteToAdmin(database, signUp(adminEmail).id());
        admin = login(adminEmail, "password-123");
        publicMethods = publicGrpcMethods();
        fingerprint = new DatabaseFingerprint(database, SERVICES.keySet());
        fingerprint.quiet(500, 20_000);
    }

    @AfterAll
    static void closeClients() throws Exception {
        for (ManagedChannel channel : CHANNELS.values()) {
            GrpcClients.close(channel);
        }
        if (fingerprint != null) {
            fingerprint.close();
        }
    }

    // ---------------------------------------------------------------- gRPC

    @Test
    void everyGrpcMethodAnswersBadInputClearlyAndChangesNothing() throws Exception {
        long started = System.nanoTime();
        FuzzReport report = new FuzzReport();
        Random random = new Random(SEED);
        GrpcInputs inputs = new GrpcInputs(random, List.of(user.id(), admin.id(), "00000000-0000-4000-8000-000000000001"));
        List<ServiceDescriptor> services = grpcServices();
        assertTrue(services.size() >= 6, "services in the descriptor set: " + services);
        List<Token> tokens = badTokens();
        for (ServiceDescriptor service : services) {
            if (!ONLY.isEmpty() && !ONLY.contains(service.getFile().getPackage())) {
                continue;
            }
            ManagedChannel channel = CHANNELS.get(service.getFile().getPackage());
            if (channel == null) {
                report.fail(service.getFullName(), "-", "no running service serves package " + service.getFile().getPackage());
                continue;
            }
            for (MethodDescriptor method : service.getMethods()) {
                String endpoint = service.getFullName() + "/" + method.getName();
                boolean isPublic = publicMethods.contains(endpoint);
                List<Case> cases = new ArrayList<>();
                byte[] plain = inputs.randomMessage(method.getInputType(), 0).toByteArray();
                for (Token token : tokens) {
                    cases.add(new Case("token:" + token.name(), !isPublic,
                            () -> grpc(channel, method, plain, token.header()),
                            answer -> isPublic || answer.code() == Status.Code.UNAUTHENTICATED ? null
                                    : "a bad token must get UNAUTHENTICATED, got " + answer));
                }
                // a refused call whose request is bigger than HTTP/2's 64 KiB window: if the server dropped its bytes
                // without crediting the connection, every later call on this channel would hang
                byte[] big = GrpcInputs.concat(plain, GrpcInputs.lengthDelimited(999, new byte[100_000]));
                cases.add(new Case("token:absent+100KB", !isPublic, () -> grpc(channel, method, big, null),
                        answer -> isPublic || answer.code() == Status.Code.UNAUTHENTICATED ? null
                                : "a bad token must get UNAUTHENTICATED, got " + answer));
                int index = 0;
                for (GrpcInputs.Input input : inputs.forMessage(method.getInputType(), RANDOM_PER_METHOD)) {
                    // edge values go with the admin token, which passes ownership checks and reaches the store
                    String token = "Bearer " + (input.name().startsWith("edge:") || index++ % 2 == 1 ? admin : user).token();
                    cases.add(new Case(input.name(), input.expect() != Expect.ANY,
                            () -> grpc(channel, method, input.bytes(), token), answer -> expected(input, answer)));
                }
                run(report, endpoint, cases);
            }
        }
        finish(report, "gRPC", started);
    }

    private static String expected(GrpcInputs.Input input, Answer answer) {
        return switch (input.expect()) {
            case ANY -> null;
            case REFUSED -> answer.code() == Status.Code.INVALID_ARGUMENT || answer.code() == Status.Code.RESOURCE_EXHAUSTED
                    || answer.code() == Status.Code.UNAUTHENTICATED ? null
                    : "must be refused (INVALID_ARGUMENT / RESOURCE_EXHAUSTED), got " + answer;
            case INVALID_FIELD -> answer.code() == Status.Code.INVALID_ARGUMENT
                    && answer.message().split(":", 2)[0].replaceAll("\\[\\d+]", "")
                            .matches("(.*\\.)?" + Pattern.quote(input.field()))
                    ? null : "must be INVALID_ARGUMENT naming " + input.field() + ", got " + answer;
        };
    }

    private static List<ServiceDescriptor> grpcServices() throws Exception {
        FileDescriptorSet set;
        try (InputStream in = BadInputFuzzIT.class.getClassLoader().getResourceAsStream("descriptors/pawfiler.pb")) {
            if (in == null) {
                throw new IllegalStateException("api-contracts' descriptors/pawfiler.pb is not on the classpath");
            }
            set = FileDescriptorSet.parseFrom(in);
        }
        Map<String, FileDescriptorProto> protos = new HashMap<>();
        set.getFileList().forEach(f -> protos.put(f.getName(), f));
        Map<String, FileDescriptor> built = new HashMap<>();
        List<ServiceDescriptor> services = new ArrayList<>();
        for (FileDescriptorProto proto : set.getFileList()) {
            FileDescriptor file = build(proto.getName(), protos, built);
            if (!proto.getName().startsWith("google/") && !proto.getName().startsWith("grpc/")) {
                services.addAll(file.getServices());
            }
        }
        return services;
    }

    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
                                        Map<String, FileDescriptor> built) throws Exception {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = protos.get(name);
        List<FileDescriptor> dependencies = new ArrayList<>();
        for (String dependency : proto.getDependencyList()) {
            dependencies.add(build(dependency, protos, built));
        }
        FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies.toArray(FileDescriptor[]::new));
        built.put(name, file);
        return file;
    }

    private static final io.grpc.MethodDescriptor.Marshaller<byte[]> BYTES = new io.grpc.MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** One raw call: any bytes as the request message, the first response (if any) ignored, the status kept. */
    private static Answer grpc(ManagedChannel channel, MethodDescriptor method, byte[] body, String authorization) {
        io.grpc.MethodDescriptor.MethodType type = method.isClientStreaming()
                ? (method.isServerStreaming() ? io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING
                : io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
                : method.isServerStreaming() ? io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING
                : io.grpc.MethodDescriptor.MethodType.UNARY;
        io.grpc.MethodDescriptor<byte[], byte[]> descriptor = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(method.getService().getFullName(),
                        method.getName()))
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
        ClientCall<byte[], byte[]> call = channel.newCall(descriptor, CallOptions.DEFAULT
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        Metadata headers = new Metadata();
        if (authorization != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
        }
        CompletableFuture<Answer> done = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                done.complete(new Answer(status.getCode(), status.getDescription() == null ? "" : status.getDescription()));
            }
        }, headers);
        call.request(Integer.MAX_VALUE);
        call.sendMessage(body);
        call.halfClose();
        try {
            Answer answer = done.get(CALL_DEADLINE.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            if (answer.code() != Status.Code.DEADLINE_EXCEEDED) {
                LAST_ANSWERED.put(channel, currentCase);
                return answer;
            }
        } catch (TimeoutException e) {
            call.cancel("fuzz: no answer", null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        failFastIfTheConnectionHung(channel);
        return new Answer(Status.Code.DEADLINE_EXCEEDED, "no answer within the deadline");
    }

    /** The case being sent, and per channel the last case that got an answer: named when a connection hangs. */
    private static volatile String currentCase = "";
    private static final Map<ManagedChannel, String> LAST_ANSWERED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * After a call without an answer, a health check on the same channel: if it gets none either, the HTTP/2
     * connection itself is stuck (every later call on it would wait for its deadline, a whole method's cases for 20
     * minutes), so the test stops here, naming the last case the connection still answered.
     */
    private static void failFastIfTheConnectionHung(ManagedChannel channel) {
        io.grpc.MethodDescriptor<byte[], byte[]> health = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("grpc.health.v1.Health/Check")
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
        try {
            io.grpc.stub.ClientCalls.blockingUnaryCall(channel, health,
                    CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), new byte[0]);
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                throw new AssertionError("the HTTP/2 connection to " + channel.authority() + " hung at " + currentCase
                        + ": a health check on it got no answer either; the last case it answered: "
                        + LAST_ANSWERED.getOrDefault(channel, "(none)"));
            }
        }
    }

    /**
     * What came back: a gRPC status, or an HTTP status mapped to the gRPC code of the same meaning (5xx = INTERNAL,
     * 400 = INVALID_ARGUMENT with the problem's {@code field: detail} as message); {@code label} goes into the
     * histogram; {@code violation} is a broken REST rule (no problem+json body, say).
     */
    record Answer(String label, Status.Code code, String message, String violation) {
        Answer(Status.Code code, String message) {
            this(code.name(), code, message, null);
        }

        @Override
        public String toString() {
            return label + " \"" + (message.length() > 160 ? message.substring(0, 160) + "..." : message) + "\"";
        }
    }

    record Token(String name, String header) {
    }

    private static List<Token> badTokens() {
        String[] parts = user.token().split("\\.");
        JsonObject claims = Json.createReader(new StringReader(new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8))).readObject();
        String elevated = Json.createObjectBuilder(claims).add("groups", Json.createArrayBuilder().add("user").add("admin"))
                .build().toString();
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(elevated.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        TestTokens foreign = TestTokens.shared();
        String issuer = claims.getString("iss");
        return List.of(new Token("absent", null), new Token("empty-bearer", "Bearer "),
                new Token("basic-auth", "Basic dXNlcjpwYXNz"), new Token("garbage", "Bearer not.a.jwt"),
                new Token("tampered-claims", "Bearer " + tampered),
                new Token("foreign-key", "Bearer " + foreign.token(user.id(), Duration.ofMinutes(5), issuer, "user", "admin")),
                new Token("expired", "Bearer " + foreign.token(user.id(), Duration.ofMinutes(-5), issuer, "user")),
                new Token("alg-none", "Bearer " + Base64.getUrlEncoder().withoutPadding().encodeToString(
                        "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "."));
    }

    /** {@code pawfiler.security.public-grpc-methods} of every service: callable without a token. */
    private static Set<String> publicGrpcMethods() throws IOException {
        Set<String> methods = new TreeSet<>();
        for (ServiceDefinition service : ServiceDefinition.ALL) {
            Path config = Services.projectRoot().resolve(service.module())
                    .resolve("src/main/resources/META-INF/microprofile-config.properties");
            if (Files.exists(config)) {
                Properties properties = new Properties();
                try (var reader = Files.newBufferedReader(config)) {
                    properties.load(reader);
                }
                for (String method : properties.getProperty("pawfiler.security.public-grpc-methods", "").split(",")) {
                    if (!method.isBlank()) {
                        methods.add(method.trim());
                    }
                }
            }
        }
        return methods;
    }


    // ---------------------------------------------------------------- REST

    @Test
    void everyRestOperationAnswersBadInputClearlyAndChangesNothing() throws Exception {
        long started = System.nanoTime();
        FuzzReport report = new FuzzReport();
        Random random = new Random(SEED + 1);
        int operations = 0;
        for (Map.Entry<String, ServiceProcess> service : SERVICES.entrySet()) {
            if (!ONLY.isEmpty() && !ONLY.contains(service.getKey())) {
                continue;
            }
            String base = service.getValue().baseUrl();
            HttpResponse<String> openapi = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/openapi"))
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(openapi.statusCode() == 200, service.getKey() + " /openapi: " + openapi.statusCode());
            JsonObject document = Json.createReader(new StringReader(openapi.body())).readObject();
            RestInputs inputs = new RestInputs(random, document.getJsonObject("components"));
            for (Map.Entry<String, jakarta.json.JsonValue> path : document.getJsonObject("paths").entrySet()) {
                for (Map.Entry<String, jakarta.json.JsonValue> operation : path.getValue().asJsonObject().entrySet()) {
                    String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
                    if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                        continue;
                    }
                    operations++;
                    String endpoint = "REST " + service.getKey() + " " + method + " " + path.getKey();
                    run(report, endpoint, restCases(base, path.getKey(), method, operation.getValue().asJsonObject(),
                            inputs, random));
                }
            }
        }
        assertTrue(operations >= (ONLY.isEmpty() ? 15 : 1), "REST operations found in the /openapi documents: " + operations);
        finish(report, "REST", started);
    }

    private static List<Case> restCases(String base, String template, String method, JsonObject operation,
                                        RestInputs inputs, Random random) {
        List<Case> cases = new ArrayList<>();
        List<JsonObject> parameters = operation.containsKey("parameters")
                ? operation.getJsonArray("parameters").getValuesAs(JsonObject.class) : List.of();
        List<String> pathParameters = parameters.stream().filter(p -> "path".equals(p.getString("in", "")))
                .map(p -> p.getString("name")).toList();
        List<String> queryParameters = parameters.stream().filter(p -> "query".equals(p.getString("in", "")))
                .map(p -> p.getString("name")).toList();
        JsonObject content = operation.containsKey("requestBody")
                ? operation.getJsonObject("requestBody").getJsonObject("content") : null;
        String path = fill(template, pathParameters, p -> p.equals("provider") ? "toss" : UUID.randomUUID().toString());
        RestInputs.Body plain;
        List<RestInputs.Body> bodies = new ArrayList<>();
        if (content != null && content.containsKey("application/json")) {
            JsonObject schema = content.getJsonObject("application/json").getJsonObject("schema");
            plain = new RestInputs.Body("sample", "application/json", RestInputs.utf8(inputs.sample(schema).toString()),
                    false);
            bodies.addAll(inputs.jsonBodies(schema, true));
        } else if (content != null && content.containsKey("multipart/form-data")) {
            plain = new RestInputs.Body("no-body", "multipart/form-data; boundary=x", new byte[0], false);
            bodies.addAll(inputs.multipartBodies());
        } else if (content != null) {
            plain = new RestInputs.Body("no-body", "application/octet-stream", new byte[0], false);
            bodies.addAll(inputs.rawBodies());
        } else {
            plain = null;
            if (!method.equals("GET") && !method.equals("DELETE")) {
                bodies.addAll(inputs.jsonBodies(JsonValue.EMPTY_JSON_OBJECT, false).subList(0, 8));
            }
        }
        String adminToken = "Bearer " + admin.token();
        String userToken = "Bearer " + user.token();
        for (Token token : badTokens()) {
            cases.add(new Case("token:" + token.name(), false, () -> http(method, base + path, plain, token.header()),
                    answer -> null));
        }
        cases.add(new Case("user-token", false, () -> http(method, base + path, plain, userToken), answer -> null));
        cases.add(new Case("admin-token", false, () -> http(method, base + path, plain, adminToken), answer -> null));
        for (String parameter : pathParameters) {
            for (String value : RestInputs.PATH_VALUES) {
                String odd = fill(template, pathParameters, p -> p.equals(parameter) ? value
                        : p.equals("provider") ? "toss" : UUID.randomUUID().toString());
                cases.add(new Case("path:" + parameter + "=" + RestInputs.abbreviate(value), false,
                        () -> http(method, base + odd, plain, adminToken), answer -> null));
            }
        }
        for (String parameter : queryParameters.subList(0, Math.min(4, queryParameters.size()))) {
            for (String value : RestInputs.QUERY_VALUES) {
                cases.add(new Case("query:" + parameter + "=" + RestInputs.abbreviate(value), false,
                        () -> http(method, base + path + "?" + parameter + "=" + value, plain, adminToken), answer -> null));
            }
        }
        for (RestInputs.Body body : bodies) {
            cases.add(new Case("body:" + body.name(), body.mustRefuse(),
                    () -> http(method, base + path, body, random.nextBoolean() ? adminToken : userToken),
                    answer -> !body.mustRefuse() || answer.code() != Status.Code.OK ? null
                            : "must be refused, got " + answer));
        }
        return cases;
    }

    private static String fill(String template, List<String> parameters, java.util.function.UnaryOperator<String> value) {
        String path = template;
        for (String parameter : parameters) {
            path = path.replace("{" + parameter + "}", value.apply(parameter));
        }
        return path;
    }

    /** One HTTP/1.1 request; the answer judged by the REST rules (no 5xx, problem+json errors naming the field). */
    private static Answer http(String method, String url, RestInputs.Body body, String authorization) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(CALL_DEADLINE);
        } catch (IllegalArgumentException e) {
            return new Answer("CLIENT_REFUSED_URI", Status.Code.INVALID_ARGUMENT, "client: " + e.getMessage(), null);
        }
        if (body != null) {
            request.header("Content-Type", body.contentType()).method(method, HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            return new Answer("TIMEOUT", Status.Code.DEADLINE_EXCEEDED, "no answer within the deadline", null);
        } catch (IOException e) {
            return new Answer("IO_ERROR", Status.Code.UNKNOWN, "connection failed: " + e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        int status = response.statusCode();
        String text = response.body();
        String label = String.valueOf(status);
        if (status < 400) {
            return new Answer(label, Status.Code.OK, "", null);
        }
        if (status >= 500) {
            return new Answer(label, Status.Code.INTERNAL, text, null);
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if ((status == 414 || status == 431) && contentType.startsWith("text/plain")) {
            // Helidon's HTTP/1.1 parser refuses an over-long request line or headers before any JAX-RS code (so no
            // problem+json is possible from the services): a clear 4xx, counted apart
            return new Answer(status + "(webserver)", Status.Code.FAILED_PRECONDITION, text, null);
        }
        JsonObject problem;
        try {
            problem = Json.createReader(new StringReader(text)).readObject();
        } catch (RuntimeException e) {
            return new Answer(label, code(status), text, "no problem+json body with " + status + " (" + contentType + "): "
                    + RestInputs.abbreviate(text));
        }
        String violation = null;
        if (!contentType.startsWith("application/problem+json")) {
            violation = status + " with Content-Type " + contentType + ", not application/problem+json";
        } else if (problem.getInt("status", -1) != status || problem.getString("detail", "").isBlank()) {
            violation = "problem without status " + status + " or detail: " + text;
        }
        if (STACK_TRACE.matcher(text).find()) {
            violation = "stack trace in the body: " + RestInputs.abbreviate(text);
        }
        String field = problem.getString("field", "");
        String message = status == 400 && !field.isBlank() ? field + ": " + problem.getString("detail", "")
                : problem.getString("detail", text);
        return new Answer(label, code(status), message, violation);
    }

    private static Status.Code code(int status) {
        return switch (status) {
            case 400, 413, 414, 415, 422, 431 -> status == 400 ? Status.Code.INVALID_ARGUMENT : Status.Code.FAILED_PRECONDITION;
            case 401 -> Status.Code.UNAUTHENTICATED;
            case 403 -> Status.Code.PERMISSION_DENIED;
            case 404, 410 -> Status.Code.NOT_FOUND;
            case 409 -> Status.Code.ALREADY_EXISTS;
            case 429 -> Status.Code.RESOURCE_EXHAUSTED;
            default -> Status.Code.FAILED_PRECONDITION;
        };
    }

    // ---------------------------------------------------------------- shared

    /** One input: how to send it, whether it must be refused, and any rule of its own the answer must keep. */
    record Case(String name, boolean mustRefuse, java.util.function.Supplier<Answer> send,
                java.util.function.Function<Answer, String> rule) {
    }

    /**
     * Runs an endpoint's cases: those that must be refused as one batch between two fingerprints, the others one by
     * one, a fingerprint after each: a refused call must leave it as it was; after an accepted call that changed
     * something, waits for its asynchronous effects (events) to settle first.
     */
    private static void run(FuzzReport report, String endpoint, List<Case> cases) throws InterruptedException {
        progress(endpoint + ": " + cases.size() + " inputs");
        DatabaseFingerprint.Snapshot before = fingerprint.take();
        List<Case> refused = cases.stream().filter(Case::mustRefuse).toList();
        for (Case c : refused) {
            Answer answer = send(endpoint, c);
            check(report, endpoint, c, answer);
            if (answer.code() == Status.Code.OK) {
                report.fail(endpoint, c.name(), "must be refused, was accepted");
            }
        }
        DatabaseFingerprint.Snapshot after = fingerprint.take();
        Set<String> changed = after.changedSince(before);
        if (!changed.isEmpty()) {
            report.fail(endpoint, refused.size() + " refused inputs", "changed " + changed);
            after = fingerprint.quiet(400, 10_000);
        }
        for (Case c : cases.stream().filter(c -> !c.mustRefuse()).toList()) {
            Answer answer = send(endpoint, c);
            check(report, endpoint, c, answer);
            DatabaseFingerprint.Snapshot now = fingerprint.take();
            changed = now.changedSince(after);
            if (!changed.isEmpty()) {
                if (answer.code() != Status.Code.OK) {
                    report.fail(endpoint, c.name(), "refused (" + answer + ") but changed " + changed);
                }
                now = fingerprint.quiet(400, 10_000);
            }
            after = now;
        }
    }

    /** Sends one case, known as the current one while it is out (a hung connection names it). */
    private static Answer send(String endpoint, Case c) {
        currentCase = endpoint + " " + c.name();
        return c.send().get();
    }

    private static void check(FuzzReport report, String endpoint, Case c, Answer answer) {
        report.count(endpoint, answer.label());
        if (answer.violation() != null) {
            report.fail(endpoint, c.name(), answer.violation());
        }
        if (SERVER_FAILURES.contains(answer.code())) {
            report.fail(endpoint, c.name(), "server failure " + answer);
        }
        if (answer.code() != Status.Code.OK) {
            if (answer.message().isBlank()) {
                report.fail(endpoint, c.name(), "no message with " + answer.code());
            }
            if (STACK_TRACE.matcher(answer.message()).find()) {
                report.fail(endpoint, c.name(), "stack trace in the message: " + answer);
            }
            if (answer.code() == Status.Code.INVALID_ARGUMENT && !FIELD_PREFIX.matcher(answer.message()).matches()) {
                report.fail(endpoint, c.name(), "INVALID_ARGUMENT without a field: " + answer);
            }
        }
        String broken = c.rule().apply(answer);
        if (broken != null) {
            report.fail(endpoint, c.name(), broken);
        }
    }

    /** Progress and the tables also go to target/bad-input-fuzz/progress.log, readable while the test runs. */
    private static void progress(String line) {
        try {
            Path log = Services.projectRoot().resolve("system-tests/target/bad-input-fuzz/progress.log");
            Files.createDirectories(log.getParent());
            // getBytes, not writeString: a case name may hold a lone surrogate, which writeString refuses
            Files.write(log, (java.time.Instant.now() + " " + line + "\n").getBytes(StandardCharsets.UTF_8),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void finish(FuzzReport report, String what, long started) {
        progress(report.table(what));
        report.failures().forEach(f -> progress("FUZZ FAILURE " + f));
        System.out.println(report.table(what + " fuzz, seed " + SEED + ", " + report.inputs() + " inputs over "
                + report.endpoints() + " endpoints in " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s"));
        List<String> failures = report.failures();
        failures.stream().limit(200).forEach(f -> System.out.println("FUZZ FAILURE " + f));
        assertTrue(failures.isEmpty(), failures.size() + " broken rules (seed " + SEED + "), first: "
                + failures.stream().limit(10).collect(Collectors.joining("\n")));
    }

    // ---------------------------------------------------------------- accounts

    private static Account signUp(String email) throws Exception {
        JsonObject body = Json.createObjectBuilder()
                .add("email", email)
                .add("password", "password-123").add("nickname", "퍼즈").add("avatar_emoji", "🐾").build();
        return account(post(SERVICES.get("auth").baseUrl() + "/auth/signup", body));
    }

    private static Account login(String email, String password) throws Exception {
        return account(post(SERVICES.get("auth").baseUrl() + "/auth/login", Json.createObjectBuilder()
                .add("email", email).add("password", password).build()));
    }

    private static Account account(HttpResponse<String> response) {
        assertTrue(response.statusCode() / 100 == 2, response.body());
        JsonObject json = Json.createReader(new StringReader(response.body())).readObject();
        return new Account(json.getJsonObject("user").getString("id"), json.getString("token"));
    }

    private static HttpResponse<String> post(String url, JsonObject body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }
}
