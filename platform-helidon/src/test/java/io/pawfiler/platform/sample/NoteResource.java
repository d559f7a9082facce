package io.pawfiler.platform.sample;

import java.util.Map;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.pawfiler.api.events.QuizAnswered;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.outbox.Outbox;

/** A state change plus its event in one transaction: the shape every service's write path has. */
@Path("/notes")
@RequestScoped
public class NoteResource {

    @Inject
    EntityManager entityManager;

    @Inject
    Outbox outbox;

    public record NewNote(String userId, String text) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    public Map<String, String> add(NewNote note) {
        if (note == null || note.text() == null || note.text().isBlank()) {
            throw ApiException.invalidArgument("text", "must not be blank");
        }
        entityManager.persist(new Note(note.userId(), note.text()));
        var event = outbox.publish(EventType.QUIZ_ANSWERED, note.userId(),
                QuizAnswered.newBuilder().setUserId(note.userId()).setQuestionId(note.text()).build());
        if (note.text().startsWith("reject")) {
            // after both writes: the rollback must take the event with it
            throw ApiException.failedPrecondition("rejected after writing");
        }
        return Map.of("eventId", event.id());
    }

    @GET
    @Path("/members/{userId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> member(@PathParam("userId") String userId) {
        Member member = entityManager.find(Member.class, userId);
        if (member == null) {
            throw ApiException.notFound("no member " + userId);
        }
        return Map.of("nickname", member.nickname, "welcomeCount", member.welcomeCount);
    }
}
