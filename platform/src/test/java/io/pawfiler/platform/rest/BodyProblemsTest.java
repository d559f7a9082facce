package io.pawfiler.platform.rest;

import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import org.junit.jupiter.api.Test;

import io.pawfiler.platform.errors.ApiException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BodyProblemsTest {

    @Test
    void thePropertyJsonbNamesBecomesTheField() {
        ApiException problem = BodyProblems.of(new JsonbException("Unable to deserialize property 'pageSize' because of: "
                + "Error deserialize JSON value into type: int."));
        assertEquals("page_size", problem.field().orElseThrow());
        assertEquals("has the wrong type or format for this operation", problem.getMessage());
    }

    @Test
    void jsonThatIsNotJsonIsABodyProblemWithoutTheParsersWords() {
        ApiException problem = BodyProblems.of(new ProcessingException("Error reading entity",
                new JsonException("Unexpected char 39 at (line no=1, column no=2, offset=1)")));
        assertEquals("body", problem.field().orElseThrow());
        assertFalse(problem.getMessage().contains("char"));
        assertTrue(BodyProblems.isBodyProblem(new ProcessingException(new JsonbException("x"))));
        assertFalse(BodyProblems.isBodyProblem(new ProcessingException(new IllegalStateException("x"))));
    }

    @Test
    void aNulInAParameterNamesTheParameter() {
        MultivaluedHashMap<String, String> query = new MultivaluedHashMap<>();
        query.add("page_size", "10");
        assertNull(NulParameters.firstWithNul(query));
        query.add("user_id", "a\0b");
        assertEquals("user_id", NulParameters.firstWithNul(query));
    }
}
