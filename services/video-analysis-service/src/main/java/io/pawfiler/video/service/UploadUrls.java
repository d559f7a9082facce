package io.pawfiler.video.service;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.video.domain.UploadGrant;
import io.pawfiler.video.store.TaskStore;
import io.pawfiler.video.store.UploadUrlStore;

/**
 * Signed, expiring upload URLs served by this service ({@code PUT /uploads/{task_id}?...&signature=...}), for clients
 * that upload without a token (e.g. a plain {@code fetch(url, {method: "PUT", body: file})}), and the addresses under
 * which stored videos are read back. The task id is assigned when the URL is made; the first upload through it
 * becomes that task, a second is ALREADY_EXISTS.
 */
@ApplicationScoped
public class UploadUrls {

    private static final System.Logger LOGGER = System.getLogger(UploadUrls.class.getName());

    /** A URL handed out. */
    public record Issued(String taskId, String uploadUrl, String videoUrl, Instant expiresAt) {
    }

    /** Why an upload URL does not work. */
    public enum Refusal { BAD_SIGNATURE, EXPIRED }

    /** An upload URL checked: either its grant or why it is refused. */
    public record Verified(UploadGrant grant, Refusal refusal) {
    }

    private final byte[] key;
    private final String baseUrl;
    private final Duration ttl;
    private final Clock clock = Clock.systemUTC();

    @Inject
    UploadUrlStore claims;

    @Inject
    Submissions submissions;

    @Inject
    UploadUrls(@ConfigProperty(name = "pawfiler.video.upload-url-secret") Optional<String> secret,
               @ConfigProperty(name = "pawfiler.video.public-base-url") String baseUrl,
               @ConfigProperty(name = "pawfiler.video.upload-url-ttl") Duration ttl) {
        if (secret.filter(s -> !s.isBlank()).isPresent()) {
            if (secret.get().length() < 32) {
                throw new IllegalStateException("pawfiler.video.upload-url-secret must have 32 characters or more");
            }
            this.key = secret.get().getBytes(StandardCharsets.UTF_8);
        } else {
            this.key = new byte[32];
            new SecureRandom().nextBytes(this.key);
            LOGGER.log(System.Logger.Level.WARNING, "pawfiler.video.upload-url-secret is not set: upload URLs are signed "
                    + "with a random key of this process and only work on this instance until it restarts");
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.ttl = ttl;
    }

    public Issued issue(AnalysisQuota.Owner owner, String filename) {
        String name = filename == null || filename.isBlank() ? "upload" : filename;
        if (name.length() > 255) {
            throw ApiException.invalidArgument("filename", "is longer than 255 characters");
        }
        String taskId = UUID.randomUUID().toString();
        Instant expiresAt = clock.instant().plus(ttl).truncatedTo(ChronoUnit.SECONDS);
        UploadGrant grant = new UploadGrant(taskId, owner.userId(), name, owner.unlimited(), expiresAt);
        String url = baseUrl + "/uploads/" + taskId + "?user_id=" + encode(owner.userId()) + "&filename=" + encode(name)
                + "&unlimited=" + (owner.unlimited() ? 1 : 0) + "&expires=" + expiresAt.getEpochSecond()
                + "&signature=" + grant.sign(key);
        return new Issued(taskId, url, videoUrl(taskId), expiresAt);
    }

    /** Signature first: a URL whose expiry was edited is a forgery (403), not an expired one (410). */
    public Verified verify(String taskId, String userId, String filename, String unlimited, String expires,
                           String signature) {
        UploadGrant grant;
        try {
            grant = new UploadGrant(require(taskId), require(userId), require(filename), "1".equals(unlimited),
                    Instant.ofEpochSecond(Long.parseLong(require(expires))));
        } catch (IllegalArgumentException | java.time.DateTimeException malformed) {
            return new Verified(null, Refusal.BAD_SIGNATURE);
        }
        if (!grant.verify(key, signature)) {
            return new Verified(null, Refusal.BAD_SIGNATURE);
        }
        if (grant.expired(clock.instant())) {
            return new Verified(grant, Refusal.EXPIRED);
        }
        return new Verified(grant, null);
    }

    /** The upload through a verified URL: claimed once, quota-checked, then a normal submission. */
    public TaskStore.Task accept(UploadGrant grant, InputStream body, String contentType) {
        if (!claim(grant)) {
            throw ApiException.alreadyExists("upload_url", "a video was uploaded through this URL already");
        }
        try {
            return submissions.submit(new AnalysisQuota.Owner(grant.userId(), grant.unlimited()), grant.taskId(), body,
                    grant.filename(), contentType);
        } catch (RuntimeException e) {
            unclaim(grant);
            throw e;
        }
    }

    /** Where the owner reads a stored video back ({@code GET /videos/{task_id}}, with their token). */
    public String videoUrl(String taskId) {
        return baseUrl + "/videos/" + taskId;
    }

    /** For tests and operators: a URL signed by this instance for a given grant. */
    public String sign(UploadGrant grant) {
        return grant.sign(key);
    }

    private boolean claim(UploadGrant grant) {
        return claims.claim(grant.taskId(), grant.userId(), clock.instant());
    }

    private void unclaim(UploadGrant grant) {
        claims.unclaim(grant.taskId());
    }

    private static String require(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing");
        }
        return value;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
