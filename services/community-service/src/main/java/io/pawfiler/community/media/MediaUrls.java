package io.pawfiler.community.media;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The addresses of stored media, {@code {public-base-url}/media/{key}?sig=…}. {@code <img>} and {@code <video>}
 * cannot send a token, and no endpoint is open without a credential, so the URL carries one: an HMAC-SHA256 of the
 * key, a capability that only this service hands out (in the posts that show the media). It does not expire, so a
 * key always has the same URL and browsers and caches keep it (the content behind a key never changes).
 */
@ApplicationScoped
public class MediaUrls {

    private static final System.Logger LOGGER = System.getLogger(MediaUrls.class.getName());
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    /** Bound into every MAC, so a signature made with the same secret for something else never passes here. */
    private static final String PURPOSE = "pawfiler-community-media-v1|";

    private final byte[] secret;
    private final String baseUrl;

    @Inject
    public MediaUrls(@ConfigProperty(name = "pawfiler.community.media.url-secret") Optional<String> secret,
                     @ConfigProperty(name = "pawfiler.community.media.public-base-url",
                             defaultValue = "http://localhost:8083") String baseUrl) {
        if (secret.filter(s -> !s.isBlank()).isPresent()) {
            if (secret.get().length() < 32) {
                throw new IllegalStateException("pawfiler.community.media.url-secret must have 32 characters or more");
            }
            this.secret = secret.get().getBytes(StandardCharsets.UTF_8);
        } else {
            this.secret = new byte[32];
            new SecureRandom().nextBytes(this.secret);
            LOGGER.log(System.Logger.Level.WARNING, "pawfiler.community.media.url-secret is not set: media URLs are "
                    + "signed with a random key of this process and stop working when it restarts (and on other "
                    + "instances); set it to 32 or more random characters");
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /**
     * The URL to put in a post for stored media; the same key always gives the same URL, so URLs are remembered
     * (a feed page signs up to 100 of them, and an HMAC with its key setup costs more than the rest of a post's mapping).
     */
    public String urlFor(String key) {
        String url = key == null ? null : urls.get(key);
        if (url == null) {
            // the key is [0-9a-f.]: nothing in it needs escaping, and neither does base64url
            url = baseUrl + "/media/" + MediaStorage.requireKey(key) + "?sig=" + signature(key);
            if (urls.size() >= REMEMBERED_URLS) {
                urls.clear();  // crude but bounded: the hot keys come back at once
            }
            urls.put(key, url);
        }
        return url;
    }

    /** Whether {@code sig} is this service's signature of {@code key}; constant-time. */
    public boolean verify(String key, String sig) {
        if (!MediaStorage.isKey(key) || sig == null || sig.isEmpty()) {
            return false;
        }
        // compared as the canonical text: base64url's last character has spare bits, so several spellings decode
        // to the same bytes, and only the one this service hands out is its URL. isEqual looks at every byte
        // whatever the first difference, so timing says nothing about how much of a forgery was right.
        return MessageDigest.isEqual(signature(key).getBytes(StandardCharsets.US_ASCII),
                sig.getBytes(StandardCharsets.US_ASCII));
    }

    /** How many media URLs are remembered at most. */
    static final int REMEMBERED_URLS = 10_000;

    private final java.util.Map<String, String> urls = new java.util.concurrent.ConcurrentHashMap<>();

    private String signature(String key) {
        return BASE64URL.encodeToString(mac(key));
    }

    private byte[] mac(String key) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");  // not thread-safe: one per call
            hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return hmac.doFinal((PURPOSE + key).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
