package io.pawfiler.platform.grpc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import com.google.rpc.BadRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

import io.pawfiler.platform.errors.ApiException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeStatusMessagesTest {

    @Test
    void asciiStaysAsItIsOtherBytesArePercentEncoded() {
        assertEquals("title: must not be blank", SafeStatusMessages.wireMessage("title: must not be blank"));
        assertEquals("100%25", SafeStatusMessages.wireMessage("100%"));
        assertEquals("title: e%CC%81 %F0%9F%90%BE%0A", SafeStatusMessages.wireMessage("title: e\u0301 🐾\n"));
        String korean = "닉네임: 너무 깁니다";
        assertEquals(korean, URLDecoder.decode(SafeStatusMessages.wireMessage(korean), StandardCharsets.UTF_8));
    }

    @Test
    void aHugeMessageIsCutAtACharacterBoundary() {
        String echoed = SafeStatusMessages.wireMessage("title: '" + "가".repeat(70_000) + "' is too long");
        assertTrue(echoed.length() <= SafeStatusMessages.MAX_ENCODED_MESSAGE, "length " + echoed.length());
        assertTrue(echoed.endsWith("%80..."), echoed.substring(echoed.length() - 20)); // 가 = EA B0 80, whole
        assertEquals(Status.Code.NOT_FOUND, SafeStatusMessages.safe(Status.NOT_FOUND.withDescription("x".repeat(5000)))
                .getCode());
    }

    @Test
    void anOversizedStatusDetailIsCutDown() throws Exception {
        StatusRuntimeException failure = GrpcErrors.toStatus(ApiException.invalidArgument("title",
                "'" + "x".repeat(70_000) + "' is too long"), "test");
        Metadata trailers = SafeStatusMessages.safe(failure.getTrailers());
        byte[] details = trailers.get(Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER));
        assertTrue(details.length <= SafeStatusMessages.MAX_DETAILS_BYTES, "bytes " + details.length);
        com.google.rpc.Status status = StatusProto.fromStatusAndTrailers(Status.INVALID_ARGUMENT, trailers);
        assertEquals("title", status.getDetails(0).unpack(BadRequest.class).getFieldViolations(0).getField());
        assertTrue(status.getMessage().startsWith("title: 'xxx"));
    }
}
