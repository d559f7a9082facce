package io.pawfiler.platform.grpc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.WireFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class WireCheckTest {

    /** BadRequest { repeated FieldViolation field_violations = 1 { string field = 1; string description = 2; } } */
    private static final Descriptor BAD_REQUEST = BadRequest.getDescriptor();
    private static final byte[] VALID = BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation.newBuilder()
            .setField("title").setDescription("자막 🐾")).build().toByteArray();

    @Test
    void validMessagesAndUnknownFieldsPass() throws IOException {
        assertEquals(Optional.empty(), WireCheck.problem(VALID, BAD_REQUEST));
        assertEquals(Optional.empty(), WireCheck.problem(new byte[0], BAD_REQUEST));
        byte[] withUnknown = concat(VALID, write(out -> {
            out.writeString(77, "from a newer client");
            out.writeInt64(78, -1);
            out.writeTag(79, WireFormat.WIRETYPE_START_GROUP);
            out.writeFixed32(1, 5);
            out.writeTag(79, WireFormat.WIRETYPE_END_GROUP);
        }));
        assertEquals(Optional.empty(), WireCheck.problem(withUnknown, BAD_REQUEST));
    }

    @Test
    void invalidUtf8NamesTheNestedField() throws IOException {
        byte[] bad = write(out -> out.writeByteArray(1, write(inner -> inner.writeByteArray(2,
                new byte[] {'o', 'k', (byte) 0xC3, 0x28}))));
        assertEquals(Optional.of(new WireCheck.Problem("field_violations.description", "is not valid UTF-8")),
                WireCheck.problem(bad, BAD_REQUEST));
        byte[] surrogate = write(out -> out.writeByteArray(1, write(inner -> inner.writeByteArray(1,
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}))));
        assertEquals("field_violations.field", WireCheck.problem(surrogate, BAD_REQUEST).orElseThrow().field());
    }

    @Test
    void aNulCharacterIsRefusedInAnyString() {
        byte[] nul = BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation.newBuilder()
                .setField("a\u0000b")).build().toByteArray();
        assertEquals(Optional.of(new WireCheck.Problem("field_violations.field", "contains a NUL character")),
                WireCheck.problem(nul, BAD_REQUEST));
    }

    @Test
    void aKnownFieldWithAnotherWireTypeIsNamed() throws IOException {
        byte[] varintForMessage = write(out -> out.writeInt32(1, 1));
        assertEquals(Optional.of(new WireCheck.Problem("field_violations", "has the wrong wire type for a message")),
                WireCheck.problem(varintForMessage, BAD_REQUEST));
        byte[] fixedForDuration = write(out -> out.writeFixed32(1, 1));
        assertEquals("retry_delay", WireCheck.problem(fixedForDuration, RetryInfo.getDescriptor()).orElseThrow().field());
    }

    @Test
    void truncationDepthAndBrokenTagsAreRefused() throws IOException {
        assertEquals("field_violations", WireCheck.problem(Arrays.copyOf(VALID, VALID.length - 1), BAD_REQUEST)
                .orElseThrow().field().split("\\.")[0]);
        assertEquals(Optional.of(new WireCheck.Problem("field_violations", "is cut short")),
                WireCheck.problem(new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, 0x7F}, BAD_REQUEST));
        assertEquals("request", WireCheck.problem(new byte[] {0x00, 0x01}, BAD_REQUEST).orElseThrow().field());
        byte[] deep = write(out -> {
            for (int i = 0; i < 150; i++) {
                out.writeTag(999, WireFormat.WIRETYPE_START_GROUP);
            }
            for (int i = 0; i < 150; i++) {
                out.writeTag(999, WireFormat.WIRETYPE_END_GROUP);
            }
        });
        assertEquals(Optional.of(new WireCheck.Problem("request", "is nested deeper than 100 levels")),
                WireCheck.problem(deep, BAD_REQUEST));
        byte[] endWithoutStart = write(out -> out.writeTag(999, WireFormat.WIRETYPE_END_GROUP));
        assertEquals("request", WireCheck.problem(endWithoutStart, BAD_REQUEST).orElseThrow().field());
    }

    @Test
    void theMarshallerRefusesInsteadOfThrowing() throws IOException {
        MethodDescriptor.PrototypeMarshaller<BadRequest> protobuf =
                (MethodDescriptor.PrototypeMarshaller<BadRequest>) ProtoUtils.marshaller(BadRequest.getDefaultInstance());
        var checked = new CheckedRequests.CheckedMarshaller(protobuf, BAD_REQUEST, 1024);

        assertEquals(BadRequest.parseFrom(VALID), checked.parse(new ByteArrayInputStream(VALID)));

        var refused = assertInstanceOf(CheckedRequests.Refused.class, checked.parse(new ByteArrayInputStream(
                write(out -> out.writeInt32(1, 1)))));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.status().getStatus().getCode());
        assertEquals("field_violations: has the wrong wire type for a message", refused.status().getStatus().getDescription());
        BadRequest detail = StatusProto.fromThrowable(refused.status()).getDetails(0).unpack(BadRequest.class);
        assertEquals("field_violations", detail.getFieldViolations(0).getField());

        var tooBig = assertInstanceOf(CheckedRequests.Refused.class, checked.parse(new ByteArrayInputStream(new byte[1025])));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooBig.status().getStatus().getCode());
        assertEquals(Code.RESOURCE_EXHAUSTED_VALUE, tooBig.status().getStatus().getCode().value());
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        writer.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
