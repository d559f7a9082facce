package io.pawfiler.auth.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code groups} a user's access token carries. */
public final class Roles {

    public static final String USER = "user";
    public static final String ADMIN = "admin";
    public static final String PREMIUM = "premium";

    private Roles() {
    }

    /** Everyone is a {@code user}; {@code premium} only while the paid period lasts. */
    public static List<String> of(boolean admin, Instant premiumUntil, Instant now) {
        List<String> roles = new ArrayList<>(3);
        roles.add(USER);
        if (admin) {
            roles.add(ADMIN);
        }
        if (isPremium(premiumUntil, now)) {
            roles.add(PREMIUM);
        }
        return List.copyOf(roles);
    }

    public static boolean isPremium(Instant premiumUntil, Instant now) {
        return premiumUntil != null && now.isBefore(premiumUntil);
    }
}
