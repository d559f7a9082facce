package io.pawfiler.community.events;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

import com.google.protobuf.Timestamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pawfiler.api.events.UserProfileChanged;
import io.pawfiler.api.events.UserRegistered;
import io.pawfiler.community.domain.AuthorCard;
import io.pawfiler.community.service.AuthorCards;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.inbox.EventConsumer;

/** user.registered and user.profile-changed → the author's card, once per event. */
@ApplicationScoped
public class AuthorCardUpdates {

    @Inject
    EventConsumer events;

    @Inject
    AuthorCards cards;

    @Incoming("user-registered")
    public CompletionStage<Void> onUserRegistered(Message<String> message) {
        return events.consume(message, "community.author-card-registered", EventType.USER_REGISTERED, this::registered);
    }

    @Incoming("user-profile-changed")
    public CompletionStage<Void> onProfileChanged(Message<String> message) {
        return events.consume(message, "community.author-card-changed", EventType.USER_PROFILE_CHANGED, this::changed);
    }

    private void registered(CloudEvent event) {
        UserRegistered registered = event.dataAs(UserRegistered.class);
        cards.apply(new AuthorCard(registered.getUserId(), registered.getNickname(), registered.getAvatarEmoji()),
                at(registered.getRegisteredAt(), event));
    }

    private void changed(CloudEvent event) {
        UserProfileChanged changed = event.dataAs(UserProfileChanged.class);
        cards.apply(new AuthorCard(changed.getUserId(), changed.getNickname(), changed.getAvatarEmoji()),
                at(changed.getChangedAt(), event));
    }

    /** The payload's own time orders cards; the envelope's when a producer left it out. */
    private static Instant at(Timestamp timestamp, CloudEvent event) {
        return timestamp.getSeconds() == 0 && timestamp.getNanos() == 0
                ? event.time() : Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
