package org.diffusionplayground.model.runtime;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes working on tiny arrays (2-D points, single Gaussians): picks the native build,
 * then holds ND4J to one thread for the class and restores the previous limit afterwards
 * (the thread hand-off costs more than the ops; see {@link Threads}).
 */
public final class SingleThreadNd4j implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SingleThreadNd4j.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        NativeBuild.configure();
        context.getStore(NAMESPACE).put("threads", Threads.limit(1));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Threads previous = context.getStore(NAMESPACE).remove("threads", Threads.class);
        if (previous != null) previous.close();
    }
}
