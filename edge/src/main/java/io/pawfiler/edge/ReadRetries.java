package io.pawfiler.edge;

import java.util.function.Function;

import com.linecorp.armeria.client.HttpClient;
import com.linecorp.armeria.client.retry.Backoff;
import com.linecorp.armeria.client.retry.RetryConfig;
import com.linecorp.armeria.client.retry.RetryRule;
import com.linecorp.armeria.client.retry.RetryingClient;
import com.linecorp.armeria.common.ClosedSessionException;
import com.linecorp.armeria.common.stream.ClosedStreamException;

/**
 * Envoy's retry policies for reads ({@code grpc_read_retries}, {@code rest_read_retries} in envoy.yaml): one more
 * attempt, after 50 ms (backing off to at most 500 ms), when the upstream never answered: the connection failed, the
 * stream was refused ({@code onUnprocessed}) or reset before an answer. gRPC reads are retried on UNAVAILABLE too;
 * a REST 503 is a busy service asking the client to back off, so it is passed on.
 */
final class ReadRetries {

    static final int MAX_ATTEMPTS = 2;
    private static final Backoff BACKOFF = Backoff.exponential(50, 500);
    /** gRPC's UNAVAILABLE, in the trailers (or the headers of a trailers-only answer). */
    private static final String UNAVAILABLE = "14";

    private ReadRetries() {
    }

    static Function<? super HttpClient, RetryingClient> rest() {
        return RetryingClient.newDecorator(RetryConfig.builder(RetryRule.of(notAnswered()))
                .maxTotalAttempts(MAX_ATTEMPTS).build());
    }

    static Function<? super HttpClient, RetryingClient> grpc() {
        RetryRule unavailable = RetryRule.builder()
                .onGrpcTrailers((ctx, trailers) -> UNAVAILABLE.equals(trailers.get("grpc-status")))
                .thenBackoff(BACKOFF);
        return RetryingClient.newDecorator(RetryConfig.builder(RetryRule.of(notAnswered(), unavailable))
                .maxTotalAttempts(MAX_ATTEMPTS).build());
    }

    /** Envoy's connect-failure and refused-stream (nothing was sent), and reset (closed before an answer). */
    private static RetryRule notAnswered() {
        return RetryRule.of(
                RetryRule.builder().onUnprocessed().thenBackoff(BACKOFF),
                RetryRule.builder().onException(ClosedStreamException.class).thenBackoff(BACKOFF),
                RetryRule.builder().onException(ClosedSessionException.class).thenBackoff(BACKOFF));
    }
}
