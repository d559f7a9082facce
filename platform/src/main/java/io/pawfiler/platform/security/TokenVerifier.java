package io.pawfiler.platform.security;

import io.pawfiler.platform.errors.ApiException;

/**
 * Verifies access tokens the way MP JWT does for JAX-RS, for the calls MP JWT does not see (gRPC): RS256 only,
 * signature against the JWKS at {@code mp.jwt.verify.publickey.location}, issuer {@code mp.jwt.verify.issuer},
 * expiry. The bean comes with the runtime's glue (platform-helidon: {@code HelidonTokenVerifier}).
 */
public interface TokenVerifier {

    /**
     * @throws ApiException UNAUTHENTICATED when the token is not one auth-service issued and still valid
     */
    Caller verify(String token);
}
