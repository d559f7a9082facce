package io.pawfiler.quiz.events;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pawfiler.api.events.UserProfileChanged;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.inbox.EventConsumer;
import io.pawfiler.quiz.service.Players;

/** user.profile-changed → the player's nickname and avatar, unless a newer card was applied already. */
@ApplicationScoped
public class ProfileChanges {

    private static final System.Logger LOGGER = System.getLogger(ProfileChanges.class.getName());

    @Inject
    EventConsumer events;

    @Inject
    Players players;

    @Incoming("user-profile-changed")
    public CompletionStage<Void> onProfileChanged(Message<String> message) {
        return events.consume(message, "quiz.apply-profile-change", EventType.USER_PROFILE_CHANGED, this::applyCard);
    }

    private void applyCard(CloudEvent event) {
        UserProfileChanged changed = event.dataAs(UserProfileChanged.class);
        // the event carries the whole card; without changed_at it cannot be ordered against the others
        if (changed.getUserId().isBlank() || changed.getNickname().isBlank() || changed.getAvatarEmoji().isBlank()
                || !changed.hasChangedAt()) {
            throw new IllegalArgumentException("user.profile-changed " + event.id()
                    + " lacks user_id, nickname, avatar_emoji or changed_at");
        }
        Instant changedAt = Instant.ofEpochSecond(changed.getChangedAt().getSeconds(), changed.getChangedAt().getNanos());
        if (!players.applyCard(changed.getUserId(), changed.getNickname(), changed.getAvatarEmoji(), changedAt)) {
            LOGGER.log(System.Logger.Level.DEBUG, () -> "user.profile-changed " + event.id() + " of " + changedAt
                    + " is older than the card held; ignored");
        }
    }
}
