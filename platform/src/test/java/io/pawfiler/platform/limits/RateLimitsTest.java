package io.pawfiler.platform.limits;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;
import io.pawfiler.platform.security.Caller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitsTest {

    private static final Caller ALICE = new Caller("alice", Set.of("user"));
    private static final Caller BOB = new Caller("bob", Set.of("user"));
    private static final Caller ADMIN = new Caller("root", Set.of("admin"));

    @Test
    void theSpecNamesGrpcMethodsAndHttpPrefixes() {
        var limits = RateLimitSpec.parse(" quiz.QuizService/SubmitAnswer=10/PT1S , POST /upload-video=5/PT1M,");
        assertEquals(new RateLimitSpec.Limit(10, Duration.ofSeconds(1)), limits.get("quiz.QuizService/SubmitAnswer"));
        assertEquals(new RateLimitSpec.Limit(5, Duration.ofMinutes(1)), limits.get("POST /upload-video"));
        assertEquals(2, limits.size());
        assertTrue(RateLimitSpec.parse("").isEmpty());
    }

    @Test
    void aMalformedSpecStopsTheStartWithTheEntryQuoted() {
        for (String bad : new String[] {"quiz.QuizService/SubmitAnswer", "x=ten/PT1S", "x=10/1s", "x=0/PT1S",
                "x=1/PT1S,x=2/PT1S"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RateLimitSpec.parse(bad));
            assertTrue(e.getMessage().startsWith("pawfiler.rate-limits: \""), e.getMessage());
        }
    }

    @Test
    void eachUserHasTheirOwnBudgetAndAdminsNone() {
        RateLimits limits = new RateLimits("quiz.QuizService/SubmitAnswer=3/PT1H, POST /upload-video=1/PT1H");
        String answer = limits.grpcOperation("quiz.QuizService/SubmitAnswer").orElseThrow();
        for (int i = 0; i < 3; i++) {
            limits.acquire(answer, ALICE);
        }
        ApiException refused = assertThrows(ApiException.class, () -> limits.acquire(answer, ALICE));
        assertEquals(ErrorKind.RESOURCE_EXHAUSTED, refused.kind());
        assertTrue(refused.getMessage().startsWith("rate_limited: at most 3 calls of quiz.QuizService/SubmitAnswer"));
        Duration retry = refused.retryAfter().orElseThrow();
        assertTrue(retry.compareTo(Duration.ZERO) > 0 && retry.compareTo(Duration.ofHours(1)) <= 0, retry.toString());

        limits.acquire(answer, BOB); // another player is not affected
        for (int i = 0; i < 10; i++) {
            limits.acquire(answer, ADMIN);
        }
        String upload = limits.httpOperation("POST", "upload-video").orElseThrow();
        limits.acquire(upload, ALICE); // a separate budget per operation
        assertThrows(ApiException.class, () -> limits.acquire(upload, ALICE));
        assertTrue(limits.httpOperation("GET", "/upload-video").isEmpty());
        assertTrue(limits.grpcOperation("quiz.QuizService/GetRandomQuestion").isEmpty());
    }
}
