package io.pawfiler.platform.grpc;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;

/**
 * The view of "the server" that grpc-java's reflection service asks for: Helidon runs gRPC on its own
 * webserver and never puts an {@link io.grpc.Server} in the call context, so this stands in, listing the
 * services registered on this port. It is not a server: lifecycle methods do nothing.
 */
final class RegisteredServices extends Server {

    private final List<ServerServiceDefinition> services;

    RegisteredServices(List<ServerServiceDefinition> services) {
        this.services = List.copyOf(services);
    }

    @Override
    public List<ServerServiceDefinition> getServices() {
        return services;
    }

    @Override
    public List<ServerServiceDefinition> getImmutableServices() {
        return services;
    }

    @Override
    public List<ServerServiceDefinition> getMutableServices() {
        return List.of();
    }

    @Override
    public Server start() {
        return this;
    }

    @Override
    public Server shutdown() {
        return this;
    }

    @Override
    public Server shutdownNow() {
        return this;
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }

    @Override
    public void awaitTermination() {
        throw new UnsupportedOperationException("not a real server");
    }
}
