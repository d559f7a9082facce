package io.pawfiler.platform.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonException;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import io.pawfiler.platform.errors.ApiException;

/**
 * A JSON request body is one JSON value and nothing after it. JSON-B stops reading at the end of the first value, so
 * {@code {"a":1}}} or {@code {}garbage} would otherwise be taken as {@code {"a":1}}: a client's bug answered 200.
 * The body is already bounded by {@link RequestBodyLimit} (1 MiB unless configured), so it is read whole, checked by
 * a streaming parse, and handed on. Bodies read raw (bytes, strings, streams: signed webhooks) are left as sent.
 */
@Provider
@Priority(Priorities.ENTITY_CODER)
@ApplicationScoped
public class WholeJsonBodies implements ReaderInterceptor {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Set<Class<?>> RAW = Set.of(byte[].class, String.class, InputStream.class, Reader.class);

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        boolean json = type != null && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
        if (!json || RAW.contains(context.getType())) {
            return context.proceed();
        }
        byte[] body = context.getInputStream().readAllBytes();
        if (!isBlank(body)) {
            requireOneValue(body);
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    /**
     * Fails with INVALID_ARGUMENT "body" unless {@code body} is exactly one JSON value (whitespace around it) in
     * UTF-8, the only encoding JSON has (RFC 8259); a reader would otherwise turn bad bytes into U+FFFD silently.
     */
    static void requireOneValue(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.invalidArgument("body", "is not UTF-8");
        }
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            int depth = 0;
            boolean seenValue = false;
            while (parser.hasNext()) {  // Parsson's hasNext refuses anything but whitespace after the top value
                if (seenValue && depth == 0) {
                    throw ApiException.invalidArgument("body", "has more after its JSON value");
                }
                switch (parser.next()) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    default -> {
                    }
                }
                seenValue = depth == 0;
            }
        } catch (JsonException e) {
            throw ApiException.invalidArgument("body", "is not valid JSON for this operation");
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
