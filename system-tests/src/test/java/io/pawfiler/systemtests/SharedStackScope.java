package io.pawfiler.systemtests;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps {@link EdgeStack#shared()} alive only across the {@link UsesSharedStack} classes (ordered first, see
 * {@code junit-platform.properties}): a class without the mark stops it before starting its own services, which
 * would otherwise share the shared stack's Kafka consumer groups; the end of the run stops it in any case.
 * Registered for every class by JUnit's extension auto-detection.
 */
public class SharedStackScope implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        if (context.getRequiredTestClass().isAnnotationPresent(UsesSharedStack.class)) {
            context.getRoot().getStore(ExtensionContext.Namespace.create(SharedStackScope.class))
                    .getOrComputeIfAbsent("stop-at-the-end", key ->
                            (ExtensionContext.Store.CloseableResource) EdgeStack::closeShared);
        } else {
            EdgeStack.closeShared();
        }
    }
}
