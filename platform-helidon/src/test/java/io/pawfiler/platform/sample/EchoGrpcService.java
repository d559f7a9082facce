package io.pawfiler.platform.sample;

import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.security.CallerContext;
import io.pawfiler.platform.sample.api.EchoReply;
import io.pawfiler.platform.sample.api.EchoRequest;
import io.pawfiler.platform.sample.api.EchoServiceGrpc;

@Dependent
public class EchoGrpcService extends EchoServiceGrpc.EchoServiceImplBase {

    @Inject
    CallerContext callers;

    @Override
    public void echo(EchoRequest request, StreamObserver<EchoReply> responseObserver) {
        if (request.getMessage().isBlank()) {
            throw ApiException.invalidArgument("message", "must not be blank");
        }
        responseObserver.onNext(EchoReply.newBuilder()
                .setMessage(request.getMessage())
                .setCaller(callers.require().userId())
                .build());
        responseObserver.onCompleted();
    }

    @Override
    public void shout(EchoRequest request, StreamObserver<EchoReply> responseObserver) {
        echo(EchoRequest.newBuilder().setMessage(request.getMessage().toUpperCase()).build(), responseObserver);
    }
}
