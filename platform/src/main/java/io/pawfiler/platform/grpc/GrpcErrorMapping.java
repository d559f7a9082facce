package io.pawfiler.platform.grpc;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.interceptor.InterceptorBinding;

/**
 * Binds {@link GrpcErrorMappingInterceptor}. {@link GrpcErrorMappingExtension} adds it to every RPC method of the gRPC service beans,
 * so service code never writes it.
 */
@InterceptorBinding
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface GrpcErrorMapping {

    final class Literal extends AnnotationLiteral<GrpcErrorMapping> implements GrpcErrorMapping {
        static final Literal INSTANCE = new Literal();
    }
}
