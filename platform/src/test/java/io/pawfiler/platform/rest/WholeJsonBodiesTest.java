package io.pawfiler.platform.rest;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.pawfiler.platform.errors.ApiException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WholeJsonBodiesTest {

    @ParameterizedTest
    @ValueSource(strings = {"{}", " {\"a\":[1,{\"b\":null}]}\n", "[]", "42", "\"text\"", "null", "{\"a\":\"}\"}"})
    void oneJsonValueWithWhitespaceAroundItPasses(String body) {
        WholeJsonBodies.requireOneValue(body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}}", "{}{}", "{} x", "[1]]", "42 43", "\"a\"\"b\"", "{", "{\"a\":", "nul", "{'a':1}"})
    void anythingElseIsTheBodysFault(String body) {
        ApiException refused = assertThrows(ApiException.class,
                () -> WholeJsonBodies.requireOneValue(body.getBytes(StandardCharsets.UTF_8)));
        assertEquals("body", refused.field().orElseThrow());
    }

    @org.junit.jupiter.api.Test
    void bytesThatAreNotUtf8AreRefusedNotReplaced() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, (byte) 0xFF, '"', '}'};
        ApiException refused = assertThrows(ApiException.class, () -> WholeJsonBodies.requireOneValue(body));
        assertEquals("is not UTF-8", refused.getMessage());
        WholeJsonBodies.requireOneValue("{\"a\":\"🐾 퍼즈\"}".getBytes(StandardCharsets.UTF_8));
    }
}
