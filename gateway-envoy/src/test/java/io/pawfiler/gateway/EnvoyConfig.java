package io.pawfiler.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder;
import io.envoyproxy.envoy.extensions.filters.http.grpc_web.v3.GrpcWeb;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.PerRouteConfig;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/**
 * envoy.yaml parsed the way Envoy parses it, as far as Java can: YAML to JSON, then protobuf's JSON parser into
 * {@link Bootstrap} without ignoring unknown fields, so an unknown or misspelt field, a bad enum name, a malformed
 * duration or an unknown type URL fails. Every typed config must be one of {@link #EXTENSIONS}: the registry also
 * resolves the types those files import, which Envoy would reject in a typed_config.
 */
final class EnvoyConfig {

    /** Every extension type envoy.yaml may use, with the HTTP filter (or per-route) names that take it. */
    static final List<Descriptor> EXTENSIONS = List.of(
            HttpConnectionManager.getDescriptor(),
            Router.getDescriptor(),
            Cors.getDescriptor(),
            CorsPolicy.getDescriptor(),
            JwtAuthentication.getDescriptor(),
            PerRouteConfig.getDescriptor(),
            GrpcWeb.getDescriptor(),
            GrpcJsonTranscoder.getDescriptor(),
            FilterConfig.getDescriptor(),
            HttpProtocolOptions.getDescriptor(),
            StdoutAccessLog.getDescriptor(),
            DownstreamConnectionsConfig.getDescriptor());

    static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder().add(EXTENSIONS).build();

    private static final Set<String> EXTENSION_NAMES =
            EXTENSIONS.stream().map(Descriptor::getFullName).collect(Collectors.toUnmodifiableSet());

    /** What each HTTP filter takes as its typed_config, and what it takes per route or virtual host. */
    static final Map<String, Descriptor> FILTER_TYPES = Map.of(
            "envoy.filters.http.cors", Cors.getDescriptor(),
            "envoy.filters.http.jwt_authn", JwtAuthentication.getDescriptor(),
            "envoy.filters.http.grpc_web", GrpcWeb.getDescriptor(),
            "envoy.filters.http.grpc_json_transcoder", GrpcJsonTranscoder.getDescriptor(),
            "envoy.filters.http.router", Router.getDescriptor());
    static final Map<String, Set<Descriptor>> PER_ROUTE_TYPES = Map.of(
            "envoy.filters.http.cors", Set.of(CorsPolicy.getDescriptor(), FilterConfig.getDescriptor()),
            "envoy.filters.http.jwt_authn", Set.of(PerRouteConfig.getDescriptor(), FilterConfig.getDescriptor()),
            "envoy.filters.http.grpc_web", Set.of(FilterConfig.getDescriptor()),
            "envoy.filters.http.grpc_json_transcoder",
            Set.of(GrpcJsonTranscoder.getDescriptor(), FilterConfig.getDescriptor()));

    private EnvoyConfig() {
    }

    static Bootstrap parse(String yaml) throws InvalidProtocolBufferException {
        Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
        JsonFormat.parser().usingTypeRegistry(TYPES).merge(Yamls.toJson(Yamls.load(yaml)), bootstrap);
        Bootstrap parsed = bootstrap.build();
        List<String> foreign = new ArrayList<>();
        walkAnys(parsed, "", (path, any) -> {
            if (!EXTENSION_NAMES.contains(typeName(any))) {
                foreign.add(path + ": " + any.getTypeUrl());
            }
        });
        if (!foreign.isEmpty()) {
            throw new InvalidProtocolBufferException("typed configs of types envoy.yaml is not meant to use "
                    + "(add them to EnvoyConfig.EXTENSIONS if Envoy takes them there): " + foreign);
        }
        return parsed;
    }

    static String typeName(Any any) {
        return any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
    }

    static <T extends Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message an Any holds, as a DynamicMessage of its registered type. */
    static Message open(Any any) {
        Descriptor type = TYPES.find(typeName(any));
        if (type == null) {
            throw new IllegalStateException("unregistered type " + any.getTypeUrl());
        }
        try {
            return DynamicMessage.parseFrom(type, any.getValue());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Any a message is, also when it sits inside a DynamicMessage (an opened typed config). */
    static Any asAny(Message message) {
        if (message instanceof Any any) {
            return any;
        }
        Descriptor type = message.getDescriptorForType();
        if (!type.getFullName().equals(Any.getDescriptor().getFullName())) {
            return null;
        }
        return Any.newBuilder()
                .setTypeUrl((String) message.getField(type.findFieldByName("type_url")))
                .setValue((com.google.protobuf.ByteString) message.getField(type.findFieldByName("value")))
                .build();
    }

    interface AnyVisitor {
        void visit(String path, Any any);
    }

    /** Every Any in the message tree, nested ones included. */
    static void walkAnys(Message message, String path, AnyVisitor visitor) {
        Any any = asAny(message);
        if (any != null) {
            visitor.visit(path, any);
            if (TYPES.find(typeName(any)) != null) {
                walkAnys(open(any), path, visitor);
            }
            return;
        }
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            String at = path + "." + field.getKey().getName();
            if (field.getKey().isRepeated()) {
                List<?> values = (List<?>) field.getValue();
                for (int i = 0; i < values.size(); i++) {
                    walkAnys((Message) values.get(i), at + "[" + i + "]", visitor);
                }
            } else {
                walkAnys((Message) field.getValue(), at, visitor);
            }
        }
    }
}
