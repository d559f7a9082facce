package io.pawfiler.edge;

import java.net.URI;
import java.net.URL;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;

/**
 * The token check at the edge (Envoy's {@code jwt_authn} with provider {@code pawfiler-auth}): RS256 access tokens
 * verified against auth-service's JWKS (cached; an unknown key id refetches it, at most once per 30 s), {@code iss}
 * and {@code exp}/{@code nbf} (60 s clock skew, as Envoy). Preflights and public operations pass without one. The
 * token is passed on: the services verify it again. A refusal is 401 with a JSON body in the shape of the other
 * errors ({@code {"code":16,"message":"Jwt is missing"}}, Envoy's messages).
 */
final class JwtCheck implements DecoratingHttpServiceFunction {

    private final EdgeRoutes routes;
    private final JWKSource<SecurityContext> keys;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    JwtCheck(EdgeRoutes routes, URI jwksUrl, String issuer, java.time.Duration cacheDuration) {
        this.routes = routes;
        URL url;
        try {
            url = jwksUrl.toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("pawfiler.auth.jwks-url: " + jwksUrl, e);
        }
        this.keys = JWKSourceBuilder.create(url)
                .cache(cacheDuration.toMillis(), JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
                .rateLimited(JWKSourceBuilder.DEFAULT_RATE_LIMIT_MIN_INTERVAL)
                .retrying(true)
                .build();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp", "sub")));
    }

    /** Fetches the JWKS once (blocking): Envoy's listener, too, waits for the first fetch before it is ready. */
    void fetchKeys() throws KeySourceException {
        keys.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        RequestHeaders headers = req.headers();
        if (isPreflight(headers)) {
            return delegate.serve(ctx, req);
        }
        EdgeRoutes.Access access = routes.access(EdgeRoutes.withoutApiPrefix(ctx.path()));
        if (access == EdgeRoutes.Access.PUBLIC) {
            return delegate.serve(ctx, req);
        }
        String token = token(headers, ctx);
        if (token == null) {
            return access == EdgeRoutes.Access.TOKEN_IF_SENT ? delegate.serve(ctx, req)
                    : unauthorized(ctx, "Jwt is missing", false);
        }
        // a key fetch blocks: verify off the event loop, then serve on it again
        CompletableFuture<HttpResponse> answer = CompletableFuture
                .supplyAsync(() -> verify(token), ctx.blockingTaskExecutor())
                .thenApplyAsync(refusal -> {
                    if (refusal != null) {
                        return unauthorized(ctx, refusal, true);
                    }
                    try {
                        return delegate.serve(ctx, req);
                    } catch (Exception e) {
                        return HttpResponse.ofFailure(e);
                    }
                }, ctx.eventLoop());
        return HttpResponse.of(answer);
    }

    /** Null if the token verifies, else Envoy's message for why not. */
    String verify(String token) {
        try {
            processor.process(token, null);
            return null;
        } catch (ExpiredJWTException e) {
            return "Jwt is expired";
        } catch (KeySourceException e) {
            return "Jwks remote fetch is failed";
        } catch (ParseException | BadJOSEException | com.nimbusds.jose.JOSEException e) {
            return "Jwt verification fails";
        }
    }

    private static boolean isPreflight(RequestHeaders headers) {
        return headers.method() == HttpMethod.OPTIONS && headers.contains(HttpHeaderNames.ORIGIN)
                && headers.contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /** Envoy's default token locations: {@code Authorization: Bearer ...}, else the {@code access_token} parameter. */
    private static String token(RequestHeaders headers, ServiceRequestContext ctx) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).strip();
            return token.isEmpty() ? null : token;
        }
        return ctx.queryParam("access_token");
    }

    private static HttpResponse unauthorized(ServiceRequestContext ctx, String message, boolean invalidToken) {
        String realm = "http://" + ctx.request().authority() + ctx.path();
        ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.UNAUTHORIZED)
                .contentType(MediaType.JSON_UTF_8)
                .add(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"" + realm + "\""
                        + (invalidToken ? ", error=\"invalid_token\"" : ""))
                .build();
        String body = GrpcStatusJson.print(com.google.rpc.Status.newBuilder()
                .setCode(io.grpc.Status.Code.UNAUTHENTICATED.value()).setMessage(message).build());
        return HttpResponse.of(headers, com.linecorp.armeria.common.HttpData.ofUtf8(body));
    }
}
