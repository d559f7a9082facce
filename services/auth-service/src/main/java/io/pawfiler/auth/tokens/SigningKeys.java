package io.pawfiler.auth.tokens;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.auth.store.SigningKey;
import io.pawfiler.auth.store.SigningKeyStore;

/**
 * The RS256 key ring in the {@code auth} schema: which key signs now, which keys the JWKS publishes, and
 * rotation (on schedule by {@link KeyMaintenance}, or on command). Private keys are decrypted only into memory.
 */
@ApplicationScoped
public class SigningKeys {

    /** The key that signs, and every key a verifier may meet. */
    public record Ring(RSAKey signing, JWKSet published) {
    }

    private final SigningKeyStore store;
    private final KeySealer sealer;
    private final Duration rotationPeriod;
    private final Duration retention;
    private final Clock clock;
    /** Decrypting is slow on purpose (PBKDF2): remember keys already opened. */
    private final Map<String, RSAPrivateKey> opened = new HashMap<>();
    private volatile Ring ring;

    @Inject
    SigningKeys(SigningKeyStore store,
                @ConfigProperty(name = "pawfiler.auth.key-encryption-secret") String secret,
                @ConfigProperty(name = "pawfiler.auth.keys.rotation-period") Duration rotationPeriod,
                @ConfigProperty(name = "pawfiler.auth.access-token-ttl") Duration accessTokenTtl,
                @ConfigProperty(name = "pawfiler.auth.clock-skew") Duration clockSkew) {
        this.store = store;
        this.sealer = new KeySealer(secret);
        this.rotationPeriod = rotationPeriod;
        this.retention = accessTokenTtl.plus(clockSkew);
        this.clock = Clock.systemUTC();
    }

    /** The current ring; loads it on first use. */
    public Ring ring() {
        Ring current = ring;
        return current != null ? current : maintain();
    }

    /** Creates / activates / retires keys as due, then reloads the ring. Safe to run on several instances at once. */
    @Transactional
    public Ring maintain() {
        return apply(false);
    }

    /** Rotates now, whatever the schedule says. @return the new signing key id */
    @Transactional
    public String rotateNow() {
        return apply(true).signing().getKeyID();
    }

    private Ring apply(boolean force) {
        Instant now = clock.instant();
        List<SigningKey> keys = new ArrayList<>(store.lockAll());
        if (KeyRotation.nextPending(states(keys)).isEmpty()) {
            keys.add(create(now));
        }
        if (force || KeyRotation.rotationDue(states(keys), now, rotationPeriod)) {
            String retiring = KeyRotation.active(states(keys)).map(KeyRotation.KeyState::kid).orElse(null);
            String activating = KeyRotation.nextPending(states(keys)).orElseThrow().kid();
            for (SigningKey key : keys) {
                if (key.kid().equals(retiring)) {
                    key.retire(now);
                } else if (key.kid().equals(activating)) {
                    key.activate(now);
                }
            }
            keys.add(create(now));
        }
        Ring loaded = load(keys, now);
        ring = loaded;
        return loaded;
    }

    private static List<KeyRotation.KeyState> states(List<SigningKey> keys) {
        return keys.stream().map(SigningKey::state).toList();
    }

    private SigningKey create(Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            byte[] salt = sealer.newSalt();
            SigningKey key = new SigningKey(UUID.randomUUID().toString(), pair.getPublic().getEncoded(),
                    sealer.seal(pair.getPrivate().getEncoded(), salt), salt, now);
            store.add(key);
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Ring load(Iterable<SigningKey> keys, Instant now) {
        List<com.nimbusds.jose.jwk.JWK> published = new ArrayList<>();
        RSAKey signing = null;
        Instant signingSince = null;
        for (SigningKey key : keys) {
            KeyRotation.KeyState state = key.state();
            if (!KeyRotation.published(state, now, retention)) {
                continue;
            }
            RSAKey publicJwk = new RSAKey.Builder(publicKey(key.publicKey()))
                    .keyID(key.kid()).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).build();
            published.add(publicJwk);
            boolean active = state.activatedAt() != null && state.retiredAt() == null;
            if (active && (signingSince == null || state.activatedAt().isAfter(signingSince))) {
                signingSince = state.activatedAt();
                signing = new RSAKey.Builder(publicJwk).privateKey(privateKey(key)).build();
            }
        }
        if (signing == null) {
            throw new IllegalStateException("no active signing key after maintenance");
        }
        return new Ring(signing, new JWKSet(published));
    }

    private RSAPrivateKey privateKey(SigningKey key) {
        synchronized (opened) {
            return opened.computeIfAbsent(key.kid(), kid -> {
                try {
                    byte[] der = sealer.open(key.privateKeySealed(), key.kdfSalt());
                    return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
                    throw new IllegalStateException("signing key " + kid + " is unreadable", e);
                }
            });
        }
    }

    private static RSAPublicKey publicKey(byte[] der) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("stored public key is unreadable", e);
        }
    }
}
