package io.pawfiler.platform.limits;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizeLimitSpecTest {

    @Test
    void anOperationGetsItsOwnLimitAndEveryOtherTheDefault() {
        SizeLimitSpec limits = new SizeLimitSpec("p", "community.CommunityService/CreatePost=100, POST /upload-video=50",
                4);
        assertEquals(100, limits.limitFor("community.CommunityService/CreatePost"));
        assertEquals(4, limits.limitFor("community.CommunityService/CreateComment"));
        assertEquals(50, limits.limitFor("POST /upload-video"));
        assertEquals(4, limits.limitFor("GET /upload-video"));
        assertEquals(4, new SizeLimitSpec("p", " ", 4).limitFor("anything"));
    }

    @Test
    void aMalformedEntryNamesThePropertyAndTheEntry() {
        for (String spec : new String[] {"x", "=5", "a=-1", "a=lots"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SizeLimitSpec("pawfiler.grpc.message-limits", spec, 4));
            assertTrue(e.getMessage().startsWith("pawfiler.grpc.message-limits: \"" + spec + "\""), e.getMessage());
        }
    }
}
