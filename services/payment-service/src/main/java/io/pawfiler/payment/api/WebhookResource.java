package io.pawfiler.payment.api;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pawfiler.payment.service.Webhooks;
import io.pawfiler.platform.json.Jsons;

/**
 * The provider's status notifications. No access token (a provider has none): the request is authenticated by its
 * HMAC signature instead, checked before anything is read or changed.
 */
@Path("/payments/webhooks/{provider}")
@RequestScoped
@Tag(name = "webhooks")
public class WebhookResource {

    @Inject
    Webhooks webhooks;

    @POST
    @PermitAll  // authenticated by the signature, see Webhooks
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Payment status changed (DONE, CANCELED, PARTIAL_CANCELED, ABORTED, EXPIRED)",
            description = "Toss Payments' PAYMENT_STATUS_CHANGED body. Signed: Tosspayments-Webhook-Signature = "
                    + "v1:base64(HMAC-SHA256(webhook secret, Tosspayments-Webhook-Transmission-Time + \".\" + body)), "
                    + "time in Unix seconds, accepted within 5 minutes. Applied once per "
                    + "Tosspayments-Webhook-Transmission-Id, after looking the payment up at the provider.")
    @APIResponse(responseCode = "200", description = "applied, a duplicate, or for an order this service does not know")
    @APIResponse(responseCode = "400", description = "signed, but not a payment notification")
    @APIResponse(responseCode = "401", description = "missing, forged or stale signature: nothing changed")
    @APIResponse(responseCode = "503", description = "the provider could not be asked for the payment's state: retry")
    public String receive(@Parameter(description = "e.g. toss") @PathParam("provider") String provider,
                          @HeaderParam("Tosspayments-Webhook-Transmission-Id") String eventId,
                          @HeaderParam("Tosspayments-Webhook-Transmission-Time") String transmissionTime,
                          @HeaderParam("Tosspayments-Webhook-Signature") String signature,
                          String body) {
        Webhooks.Outcome outcome = webhooks.receive(provider, eventId, transmissionTime, signature, body == null ? "" : body);
        return Jsons.object().add("result", outcome.name().toLowerCase(java.util.Locale.ROOT)).build().toString();
    }
}
