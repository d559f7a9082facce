package io.pawfiler.auth.service;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.platform.db.DatabaseMigration;

/**
 * Creates the first admin from {@code PAWFILER_ADMIN_EMAIL} / {@code PAWFILER_ADMIN_PASSWORD} when there is no
 * admin yet. An existing ordinary account with that email is never promoted: whoever registered it first would
 * otherwise become admin.
 */
@ApplicationScoped
public class AdminBootstrap {

    private static final System.Logger LOGGER = System.getLogger(AdminBootstrap.class.getName());

    @Inject
    AccountService accounts;

    @Inject
    @ConfigProperty(name = "pawfiler.admin.email")
    Optional<String> email;

    @Inject
    @ConfigProperty(name = "pawfiler.admin.password")
    Optional<String> password;

    @Inject
    @ConfigProperty(name = "pawfiler.admin.nickname", defaultValue = "admin")
    String nickname;

    void onMigrated(@Observes DatabaseMigration.Completed migrated) {
        if (email.filter(e -> !e.isBlank()).isEmpty() || password.filter(p -> !p.isBlank()).isEmpty()) {
            return;
        }
        if (accounts.adminExists()) {
            return;
        }
        if (accounts.emailTaken(email.get())) {
            LOGGER.log(System.Logger.Level.ERROR, "PAWFILER_ADMIN_EMAIL belongs to an existing ordinary account; "
                    + "no admin was created. Choose another email.");
            return;
        }
        accounts.register(new AccountService.Signup(email.get(), password.get(), nickname, null), true);
        LOGGER.log(System.Logger.Level.INFO, "created the initial admin account " + email.get());
    }
}
