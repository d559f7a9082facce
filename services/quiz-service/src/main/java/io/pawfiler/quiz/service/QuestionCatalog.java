package io.pawfiler.quiz.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.quiz.domain.Question;
import io.pawfiler.quiz.store.QuestionEntity;
import io.pawfiler.quiz.store.QuizStore;

/** The admins' side of questions: create, change, retire. Retired questions are never drawn again. */
@ApplicationScoped
public class QuestionCatalog {

    @Inject
    QuizStore store;

    @Inject
    Event<QuestionCache.QuestionChanged> changed;

    @Transactional
    public Question create(Question question) {
        Question valid = question.validated();
        String id = UUID.randomUUID().toString();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        QuestionEntity entity = new QuestionEntity(id, now);
        entity.write(valid, now);
        store.add(entity);
        changed.fire(new QuestionCache.QuestionChanged(id));
        return entity.toDomain();
    }

    @Transactional
    public Question update(String id, Question question) {
        Question valid = question.validated();
        QuestionEntity entity = store.question(id).orElseThrow(() -> ApiException.notFound("no question " + id));
        entity.write(valid, OffsetDateTime.now(ZoneOffset.UTC));
        changed.fire(new QuestionCache.QuestionChanged(id));
        return entity.toDomain();
    }

    @Transactional
    public void retire(String id) {
        store.question(id).orElseThrow(() -> ApiException.notFound("no question " + id))
                .retire(OffsetDateTime.now(ZoneOffset.UTC));
        changed.fire(new QuestionCache.QuestionChanged(id));
    }

    @Transactional
    public Question get(String id) {
        return store.question(id).map(QuestionEntity::toDomain)
                .orElseThrow(() -> ApiException.notFound("no question " + id));
    }
}
