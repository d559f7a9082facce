package io.pawfiler.platform.security;

import java.util.Objects;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.microprofile.cdi.RuntimeStart;
import io.helidon.microprofile.jwt.auth.JwtAuthProvider;
import io.helidon.microprofile.security.SecurityCdiExtension;
import io.helidon.microprofile.server.JaxRsApplication;
import io.helidon.microprofile.server.JaxRsCdiExtension;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import org.eclipse.microprofile.auth.LoginConfig;

import static jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE;

/**
 * Registers {@link RefreshingJwtAuthProvider} as the {@code mp-jwt-auth} security provider, just before Helidon's
 * MP JWT extension would register its own (it steps aside when the name is taken). Same condition as Helidon's: an
 * application with {@code @LoginConfig(authMethod = "MP-JWT")}.
 */
public class RefreshingJwtAuthExtension implements Extension {

    private static final String PROVIDER_NAME = "mp-jwt-auth";

    private Config config;

    void configured(@Observes @RuntimeStart Config config) {
        this.config = config;
    }

    void registerProvider(@Observes @Initialized(ApplicationScoped.class) @Priority(PLATFORM_BEFORE + 4) Object event,
                          BeanManager beanManager) {
        SecurityCdiExtension security = beanManager.getExtension(SecurityCdiExtension.class);
        if (security.securityBuilder().hasProvider(PROVIDER_NAME) || !mpJwtRequested(beanManager)) {
            return;
        }
        HelidonTokenVerifier keys = beanManager.createInstance().select(HelidonTokenVerifier.class).get();
        String header = config.get("mp.jwt.token.header").asString().orElse("Authorization");
        security.securityBuilder().addProvider(
                new RefreshingJwtAuthProvider(() -> JwtAuthProvider.create(config), keys, header), PROVIDER_NAME);
    }

    private static boolean mpJwtRequested(BeanManager beanManager) {
        return beanManager.getExtension(JaxRsCdiExtension.class).applicationsToRun().stream()
                .map(JaxRsApplication::applicationClass)
                .flatMap(Optional::stream)
                .map(application -> application.getAnnotation(LoginConfig.class))
                .filter(Objects::nonNull)
                .anyMatch(login -> "MP-JWT".equals(login.authMethod()));
    }
}
