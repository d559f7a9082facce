package io.pawfiler.platform.security;

import java.util.Set;

import io.pawfiler.platform.errors.ApiException;

/**
 * Who is calling: the verified token's subject (the user id) and its groups (roles such as {@code user},
 * {@code admin}, {@code premium}). A user id in a request body never replaces it (see {@link #actingFor}).
 */
public record Caller(String userId, Set<String> roles) {

    public static final String ADMIN = "admin";

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean isAdmin() {
        return hasRole(ADMIN);
    }

    /**
     * The user a request acts for: the caller, unless an admin names someone else.
     *
     * @param requestedUserId the {@code user_id} a request carries, possibly blank
     * @throws ApiException PERMISSION_DENIED when a non-admin names another user
     */
    public String actingFor(String requestedUserId) {
        if (requestedUserId == null || requestedUserId.isBlank() || requestedUserId.equals(userId)) {
            return userId;
        }
        if (isAdmin()) {
            return requestedUserId;
        }
        throw ApiException.permissionDenied("user_id must be your own");
    }

    /**
     * The user a request acts for when a {@code user_id} in it is only a hint the original frontend sends: an
     * admin's names the subject, anyone else's is ignored and the caller acts for themself.
     */
    public String subjectOrAdminChoice(String requestedUserId) {
        return isAdmin() && requestedUserId != null && !requestedUserId.isBlank() ? requestedUserId : userId;
    }
}
