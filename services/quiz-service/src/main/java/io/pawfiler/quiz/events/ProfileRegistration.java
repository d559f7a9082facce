package io.pawfiler.quiz.events;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pawfiler.api.events.UserRegistered;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.inbox.EventConsumer;
import io.pawfiler.quiz.service.Players;

/**
 * user.registered → the player's profile with nickname and avatar (once, however often it is delivered; never over a
 * newer name from user.profile-changed).
 */
@ApplicationScoped
public class ProfileRegistration {

    @Inject
    EventConsumer events;

    @Inject
    Players players;

    @Incoming("user-registered")
    public CompletionStage<Void> onUserRegistered(Message<String> message) {
        return events.consume(message, "quiz.create-profile", EventType.USER_REGISTERED, this::createProfile);
    }

    private void createProfile(CloudEvent event) {
        UserRegistered registered = event.dataAs(UserRegistered.class);
        if (registered.getUserId().isBlank()) {
            throw new IllegalArgumentException("user.registered " + event.id() + " has no user_id");
        }
        // registered_at orders this card against user.profile-changed, a topic of its own that may be read first
        Instant registeredAt = registered.hasRegisteredAt() ? Instant.ofEpochSecond(
                registered.getRegisteredAt().getSeconds(), registered.getRegisteredAt().getNanos()) : null;
        players.applyCard(registered.getUserId(), registered.getNickname(), registered.getAvatarEmoji(), registeredAt);
    }
}
