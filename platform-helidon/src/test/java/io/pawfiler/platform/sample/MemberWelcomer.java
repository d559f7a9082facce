package io.pawfiler.platform.sample;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pawfiler.api.events.UserRegistered;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.inbox.EventConsumer;

/** An idempotent consumer: the shape every service's event handler has. */
@ApplicationScoped
public class MemberWelcomer {

    @Inject
    EventConsumer events;

    @Inject
    EntityManager entityManager;

    @Incoming("user-registered")
    public CompletionStage<Void> onUserRegistered(Message<String> message) {
        return events.consume(message, "sample.welcome", EventType.USER_REGISTERED, this::welcome);
    }

    private void welcome(CloudEvent event) {
        UserRegistered registered = event.dataAs(UserRegistered.class);
        Member member = entityManager.find(Member.class, registered.getUserId());
        if (member == null) {
            member = new Member(registered.getUserId(), registered.getNickname());
            entityManager.persist(member);
        }
        member.welcomeCount++;
    }
}
