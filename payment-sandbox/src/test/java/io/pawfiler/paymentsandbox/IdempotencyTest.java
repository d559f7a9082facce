package io.pawfiler.paymentsandbox;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdempotencyTest {

    private final Idempotency keys = new Idempotency();

    @Test
    void aKeyStillBeingProcessedIsRefusedThenReplayed() {
        Idempotency.Entry first = assertInstanceOf(Idempotency.Entry.class, keys.begin("s", "k", "{\"a\":1}"));
        SandboxException busy = assertThrows(SandboxException.class, () -> keys.begin("s", "k", "{\"a\":1}"));
        assertEquals(409, busy.status());
        assertEquals("IDEMPOTENT_REQUEST_PROCESSING", busy.code());
        keys.complete(first, new Idempotency.Answer(200, "{\"ok\":true}"));
        Idempotency.Answer replay = assertInstanceOf(Idempotency.Answer.class, keys.begin("s", "k", "{ \"a\" : 1 }"));
        assertEquals(200, replay.status());
        assertEquals(422, assertThrows(SandboxException.class, () -> keys.begin("s", "k", "{\"a\":2}")).status());
    }

    @Test
    void keysAreScopedAndAbandonedOnesMayBeReused() {
        Idempotency.Entry entry = assertInstanceOf(Idempotency.Entry.class, keys.begin("confirm", "k", "{}"));
        assertInstanceOf(Idempotency.Entry.class, keys.begin("cancel", "k", "{}"), "another path: another scope");
        keys.abandon(entry);
        assertInstanceOf(Idempotency.Entry.class, keys.begin("confirm", "k", "{\"other\":1}"));
        assertEquals(400, assertThrows(SandboxException.class, () -> keys.begin("s", "x".repeat(301), "{}"))
                .status());
    }
}
