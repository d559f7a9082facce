package io.pawfiler.video.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.video.domain.NetworkAddresses;
import io.pawfiler.video.store.TaskStore;

/**
 * {@code AnalyzeVideo}: fetches a video from an http(s) URL into a normal submission (same quota, size and
 * duration limits as an upload). The service fetches on a user's behalf, so every hop is checked against SSRF: the
 * host must resolve only to public addresses (see {@link NetworkAddresses}) unless it is listed in
 * {@code pawfiler.video.fetch.allowed-hosts}; redirects are followed by hand so each target is checked too. The
 * JVM caches the lookup it checked (networkaddress.cache.ttl, 30 s by default), so the client connects to the
 * address that was checked rather than to a second, rebound DNS answer.
 * A connect timeout and a total deadline bound the call: at the deadline the body stream is closed under the
 * reader, so a server that stalls mid-body cannot hold the call open.
 */
@ApplicationScoped
public class VideoDownloader {

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final Set<String> allowedHosts;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final int maxRedirects;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "video-download-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    Submissions submissions;

    @Inject
    VideoIntake intake;

    @Inject
    VideoDownloader(@ConfigProperty(name = "pawfiler.video.fetch.allowed-hosts") Optional<String> allowedHosts,
                    @ConfigProperty(name = "pawfiler.video.fetch.connect-timeout") Duration connectTimeout,
                    @ConfigProperty(name = "pawfiler.video.fetch.timeout") Duration timeout,
                    @ConfigProperty(name = "pawfiler.video.fetch.max-redirects") int maxRedirects) {
        this.allowedHosts = allowedHosts.stream().flatMap(list -> Arrays.stream(list.split(",")))
                .map(host -> host.trim().toLowerCase(Locale.ROOT)).filter(host -> !host.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.maxRedirects = maxRedirects;
    }

    @PreDestroy
    void stop() {
        deadlines.shutdownNow();
    }

    /** Checks the URL's form (cheap, before any quota is taken). */
    public URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw refuse("is required");
        }
        URI uri;
        try {
            uri = new URI(url.trim()).normalize();
        } catch (URISyntaxException e) {
            throw refuse("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refuse("must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw refuse("has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw refuse("must not carry credentials");
        }
        return uri;
    }

    /** Downloads {@code url} under {@code owner}'s quota and creates its task. */
    public TaskStore.Task download(AnalysisQuota.Owner owner, String url) {
        URI uri = parse(url);
        checkHost(uri);  // refuse forbidden hosts before taking a unit
        HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Submissions.Submission submission = submissions.open(owner, null)) {
            HttpResponse<InputStream> response = fetch(client, uri, deadline);
            AtomicBoolean timedOut = new AtomicBoolean();
            InputStream body = response.body();
            ScheduledFuture<?> watchdog = deadlines.schedule(() -> {
                timedOut.set(true);
                closeQuietly(body);
                client.shutdownNow();  // also aborts a read blocked inside the client
            }, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            try (body) {
                submission.copy(body);
            } catch (UncheckedIOException | IOException e) {
                throw timedOut.get() ? refuse("did not finish downloading within " + timeout.toSeconds() + " s")
                        : refuse("could not be downloaded (" + e.getMessage() + ")");
            } catch (ApiException e) {
                if (timedOut.get()) {
                    throw refuse("did not finish downloading within " + timeout.toSeconds() + " s");
                }
                throw e.field().filter("video"::equals).isPresent() ? refuse(e.getMessage()) : e;
            } finally {
                watchdog.cancel(false);
            }
            try {
                return submission.finish(filename(response.uri()), contentType(response));
            } catch (ApiException e) {
                throw e.field().filter("video"::equals).isPresent() ? refuse("is not a usable video: " + e.getMessage()) : e;
            }
        } finally {
            client.shutdownNow();
        }
    }

    /** Follows redirects itself, checking every hop's scheme and host, and the declared size of the last. */
    private HttpResponse<InputStream> fetch(HttpClient client, URI first, long deadline) {
        URI uri = first;
        for (int hop = 0; ; hop++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw refuse("did not answer within " + timeout.toSeconds() + " s");
            }
            HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofNanos(left))
                    .header("Accept", "video/*, application/octet-stream;q=0.5").build();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (java.net.http.HttpTimeoutException e) {
                throw refuse("did not answer within " + timeout.toSeconds() + " s");
            } catch (IOException e) {
                throw refuse("could not be fetched (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("interrupted");
            }
            int status = response.statusCode();
            if (REDIRECTS.contains(status)) {
                closeQuietly(response.body());
                if (hop >= maxRedirects) {
                    throw refuse("redirects more than " + maxRedirects + " times");
                }
                String location = response.headers().firstValue("Location")
                        .orElseThrow(() -> refuse("answered a redirect without a Location"));
                try {
                    uri = parse(uri.resolve(location.trim()).toString());
                } catch (IllegalArgumentException e) {
                    throw refuse("redirects to an invalid URL");
                }
                checkHost(uri);
                continue;
            }
            if (status != 200) {
                closeQuietly(response.body());
                throw refuse("answered HTTP " + status);
            }
            OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            if (length.isPresent() && length.getAsLong() > intake.maxBytes()) {
                closeQuietly(response.body());
                throw refuse("is larger than the limit of " + intake.maxBytes() + " bytes");
            }
            return response;
        }
    }

    /** SSRF guard: every address the host resolves to must be public, unless the host is allow-listed. */
    void checkHost(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (allowedHosts.contains(host)) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw refuse("names a host that does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> reason = NetworkAddresses.forbidden(address);
            if (reason.isPresent()) {
                throw refuse("points at " + reason.get() + " (" + address.getHostAddress()
                        + "), which this service does not fetch from");
            }
        }
    }

    private static String filename(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isBlank() ? "download" : last.length() > 255 ? last.substring(last.length() - 255) : last;
    }

    private static String contentType(HttpResponse<?> response) {
        String type = response.headers().firstValue("Content-Type").orElse("application/octet-stream");
        return type.length() > 100 ? "application/octet-stream" : type;
    }

    private static ApiException refuse(String message) {
        return ApiException.invalidArgument("video_url", message);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // best effort: the stream is abandoned either way
        }
    }
}
