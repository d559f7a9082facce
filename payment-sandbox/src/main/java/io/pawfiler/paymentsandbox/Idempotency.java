package io.pawfiler.paymentsandbox;

import java.util.HashMap;
import java.util.Map;

import jakarta.json.JsonObject;

/**
 * {@code Idempotency-Key} for the POST APIs. A key is scoped, as at Toss, by secret key, method and path. The first
 * request with a key is processed and its answer (any but a 5xx, which may be retried) is kept; the same key with the
 * same body gets that answer again without anything being processed; with another body it is refused (422), and
 * while the first is still being processed a second one is refused too (409). Kept for the sandbox's lifetime.
 */
final class Idempotency {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_KEY_LENGTH = 300;

    /** A kept answer. */
    record Answer(int status, String body) {
    }

    /** What the caller holds between {@link #begin} and {@link #complete}/{@link #abandon}. */
    static final class Entry {
        private final String scopedKey;
        private final Object fingerprint;
        private Answer answer;

        private Entry(String scopedKey, Object fingerprint) {
            this.scopedKey = scopedKey;
            this.fingerprint = fingerprint;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /**
     * Starts a request with {@code key}: null means "process it, then {@link #complete} or {@link #abandon} the
     * returned entry", otherwise the answer to replay. Throws 422/409 as described above.
     */
    synchronized Object begin(String scope, String key, String body) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw Json.invalid(HEADER + " must be 1-" + MAX_KEY_LENGTH + " characters");
        }
        String scopedKey = scope + '\n' + key;
        Object fingerprint = fingerprint(body);
        Entry entry = entries.get(scopedKey);
        if (entry == null) {
            entry = new Entry(scopedKey, fingerprint);
            entries.put(scopedKey, entry);
            return entry;
        }
        if (!entry.fingerprint.equals(fingerprint)) {
            throw new SandboxException(422, "IDEMPOTENT_REQUEST_PROCESSING",
                    "같은 멱등키로 다른 요청이 왔습니다. (this Idempotency-Key was used with another request body)");
        }
        if (entry.answer == null) {
            throw new SandboxException(409, "IDEMPOTENT_REQUEST_PROCESSING",
                    "이전 멱등 요청이 처리 중입니다. 잠시 후 다시 시도해주세요. (the first request with this key is "
                            + "still being processed)");
        }
        return entry.answer;
    }

    synchronized void complete(Entry entry, Answer answer) {
        entry.answer = answer;
    }

    /** The request ended without an answer worth keeping (5xx): the key may be used afresh. */
    synchronized void abandon(Entry entry) {
        entries.remove(entry.scopedKey, entry);
    }

    synchronized void clear() {
        entries.clear();
    }

    /** Bodies are compared as JSON (whitespace and key order do not matter), or as text if they are not JSON. */
    private static Object fingerprint(String body) {
        try {
            JsonObject json = Json.parseObject(body);
            return json;
        } catch (SandboxException e) {
            return body;
        }
    }
}
