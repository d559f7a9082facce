package io.pawfiler.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.ExtensionRegistry;

/** api-contracts' descriptor set (descriptors/pawfiler.pb), the file Envoy's transcoder loads. */
final class ServiceDescriptors {

    static final String RESOURCE = "descriptors/pawfiler.pb";

    private final Map<String, FileDescriptor> files;

    private ServiceDescriptors(Map<String, FileDescriptor> files) {
        this.files = files;
    }

    static ServiceDescriptors load() {
        ExtensionRegistry registry = ExtensionRegistry.newInstance();
        AnnotationsProto.registerAllExtensions(registry);
        try (InputStream in = ServiceDescriptors.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath: build api-contracts first");
            }
            FileDescriptorSet set = FileDescriptorSet.parseFrom(in, registry);
            Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
            set.getFileList().forEach(f -> protos.put(f.getName(), f));
            Map<String, FileDescriptor> built = new HashMap<>();
            for (String name : protos.keySet()) {
                build(name, protos, built);
            }
            return new ServiceDescriptors(built);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A descriptor set must hold every import: Envoy cannot resolve one that is missing either. */
    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
                                        Map<String, FileDescriptor> built) {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = protos.get(name);
        if (proto == null) {
            throw new IllegalStateException(RESOURCE + " lacks " + name + ", which another file imports");
        }
        List<FileDescriptor> dependencies = new ArrayList<>();
        for (String dependency : proto.getDependencyList()) {
            dependencies.add(build(dependency, protos, built));
        }
        try {
            FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies.toArray(FileDescriptor[]::new));
            built.put(name, file);
            return file;
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every service, by full name (quiz.QuizService). */
    Map<String, ServiceDescriptor> services() {
        Map<String, ServiceDescriptor> services = new LinkedHashMap<>();
        files.values().forEach(f -> f.getServices().forEach(s -> services.put(s.getFullName(), s)));
        return services;
    }

    /** Whether a message type of this full name (google.rpc.BadRequest) is in the set. */
    boolean hasType(String fullName) {
        return files.values().stream().flatMap(f -> f.getMessageTypes().stream())
                .anyMatch(type -> type.getFullName().equals(fullName));
    }

    /** The HTTP paths a method is bound to for JSON (google.api.http, additional bindings included). */
    static List<String> httpPaths(MethodDescriptor method) {
        List<String> paths = new ArrayList<>();
        if (method.getOptions().hasExtension(AnnotationsProto.http)) {
            HttpRule rule = method.getOptions().getExtension(AnnotationsProto.http);
            addPath(rule, paths);
            rule.getAdditionalBindingsList().forEach(binding -> addPath(binding, paths));
        }
        return paths;
    }

    private static void addPath(HttpRule rule, List<String> paths) {
        String path = switch (rule.getPatternCase()) {
            case GET -> rule.getGet();
            case POST -> rule.getPost();
            case PUT -> rule.getPut();
            case PATCH -> rule.getPatch();
            case DELETE -> rule.getDelete();
            case CUSTOM -> rule.getCustom().getPath();
            default -> null;
        };
        if (path != null) {
            paths.add(path);
        }
    }

    static String grpcPath(MethodDescriptor method) {
        return "/" + method.getService().getFullName() + "/" + method.getName();
    }
}
