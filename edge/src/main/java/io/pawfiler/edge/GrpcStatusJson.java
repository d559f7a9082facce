package io.pawfiler.edge;

import java.util.Base64;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Help;
import com.google.rpc.LocalizedMessage;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.QuotaFailure;
import com.google.rpc.RequestInfo;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.UnframedGrpcErrorHandler;

import io.grpc.Status;

/**
 * A failed JSON call answered as Envoy's {@code grpc_json_transcoder} with {@code convert_grpc_status: true} answers
 * it: the HTTP status mapped from the gRPC code, and the {@code google.rpc.Status} as JSON with the transcoder's
 * print options ({@code {"code":5,"message":"...","details":[]}}, details from {@code grpc-status-details-bin}, e.g.
 * the services' BadRequest field and RetryInfo).
 */
final class GrpcStatusJson implements UnframedGrpcErrorHandler {

    static final GrpcStatusJson INSTANCE = new GrpcStatusJson();

    /** The error details services send (google/rpc/error_details.proto), so details print as JSON objects. */
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
                    .add(BadRequest.getDescriptor()).add(RetryInfo.getDescriptor()).add(ErrorInfo.getDescriptor())
                    .add(QuotaFailure.getDescriptor()).add(DebugInfo.getDescriptor())
                    .add(PreconditionFailure.getDescriptor()).add(RequestInfo.getDescriptor())
                    .add(ResourceInfo.getDescriptor()).add(Help.getDescriptor())
                    .add(LocalizedMessage.getDescriptor()).build())
            .preservingProtoFieldNames()
            .includingDefaultValueFields()
            .omittingInsignificantWhitespace();

    private GrpcStatusJson() {
    }

    @Override
    public HttpResponse handle(ServiceRequestContext ctx, Status status, AggregatedHttpResponse response) {
        HttpHeaders trailers = response.trailers().isEmpty() ? response.headers() : response.trailers();
        com.google.rpc.Status body = details(trailers.get("grpc-status-details-bin"));
        if (body == null) {
            body = com.google.rpc.Status.newBuilder().setCode(status.getCode().value())
                    .setMessage(status.getDescription() == null ? "" : status.getDescription()).build();
        }
        String json = print(body);
        ResponseHeaders headers = ResponseHeaders.builder(httpStatus(status.getCode()))
                .contentType(MediaType.JSON_UTF_8)
                .addInt("grpc-status", status.getCode().value())
                .build();
        return HttpResponse.of(headers, com.linecorp.armeria.common.HttpData.ofUtf8(json));
    }

    static String print(com.google.rpc.Status status) {
        try {
            return PRINTER.print(status);
        } catch (InvalidProtocolBufferException unknownDetail) {
            // a detail of a type not registered above: the code and message still get through
            return print(status.toBuilder().clearDetails().build());
        }
    }

    private static com.google.rpc.Status details(String bin) {
        if (bin == null || bin.isEmpty()) {
            return null;
        }
        try {
            return com.google.rpc.Status.parseFrom(Base64.getDecoder().decode(bin));
        } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
            return null;
        }
    }

    /** Envoy's {@code Grpc::Utility::grpcToHttpStatus}. */
    static HttpStatus httpStatus(Status.Code code) {
        return HttpStatus.valueOf(switch (code) {
            case OK -> 200;
            case CANCELLED -> 499;
            case UNKNOWN -> 500;
            case INVALID_ARGUMENT -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS -> 409;
            case PERMISSION_DENIED -> 403;
            case RESOURCE_EXHAUSTED -> 429;
            case FAILED_PRECONDITION -> 400;
            case ABORTED -> 409;
            case OUT_OF_RANGE -> 400;
            case UNIMPLEMENTED -> 501;
            case INTERNAL -> 500;
            case UNAVAILABLE -> 503;
            case DATA_LOSS -> 500;
            case UNAUTHENTICATED -> 401;
        });
    }
}
