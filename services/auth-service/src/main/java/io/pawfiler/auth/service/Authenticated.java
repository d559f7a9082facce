package io.pawfiler.auth.service;

import io.pawfiler.auth.store.User;
import io.pawfiler.auth.tokens.AccessTokens;

/** What signup, login and refresh hand back: the account, an access token and the next refresh token. */
public record Authenticated(User user, AccessTokens.Issued accessToken, String refreshToken) {
}
