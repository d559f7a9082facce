package io.pawfiler.paymentsandbox;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/** The sandbox over real HTTP, as a Toss adapter (or curl) would call it. */
final class Api implements AutoCloseable {

    final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final String baseUrl;
    private final String authorization;

    Api(String baseUrl, String secretKey) {
        this.baseUrl = baseUrl;
        this.authorization = SandboxProvider.basicAuthorization(secretKey);
    }

    HttpResponse<String> get(String pathOrUrl) throws IOException, InterruptedException {
        return send(request(pathOrUrl).header("Authorization", authorization).GET());
    }

    HttpResponse<String> getWith(String path, String authorizationHeader) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).GET();
        if (authorizationHeader != null) {
            request.header("Authorization", authorizationHeader);
        }
        return send(request);
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return post(path, json, null);
    }

    HttpResponse<String> post(String path, String json, String idempotencyKey)
            throws IOException, InterruptedException {
        return send(jsonPost(path, json, idempotencyKey));
    }

    HttpRequest.Builder jsonPost(String path, String json, String idempotencyKey) {
        HttpRequest.Builder request = request(path)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    /** A browser submitting a form (no Authorization). */
    HttpResponse<String> postForm(String path, Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpRequest.Builder request(String pathOrUrl) {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl;
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    }

    static JsonObject json(HttpResponse<String> response) {
        return json(response.body());
    }

    static JsonObject json(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        }
    }

    /** The decoded query of a URL (e.g. a redirect's Location). */
    static Map<String, String> query(String url) {
        Map<String, String> params = new LinkedHashMap<>();
        String query = URI.create(url).getRawQuery();
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
