package io.pawfiler.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * A failing system test carries the warnings and errors its services logged while it ran, in its failure message:
 * CI shows that message, not the service logs under {@code system-tests/target}. Registered for every test class by
 * JUnit's extension auto-detection ({@code junit-platform.properties}).
 */
public class ServiceLogsOnFailure implements BeforeAllCallback, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {

    private static final Pattern NOTEWORTHY = Pattern.compile("\\b(SEVERE|ERROR|WARNING|WARN)\\b|(Exception|Error)\\b");
    /** Chatter present in every log: topic auto-creation at start-up, the JDK's warnings about libraries. */
    private static final Pattern NOISE = Pattern.compile("UNKNOWN_TOPIC_OR_PARTITION|LEADER_NOT_AVAILABLE"
            + "|^WARNING: (A (terminally deprecated|restricted) method|sun\\.misc\\.Unsafe|Please consider reporting"
            + "|java\\.lang\\.System::|Use --enable-native-access|Restricted methods)|Static OpenAPI file not found");
    private static final int LINES_PER_LOG = 8;
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            ServiceLogsOnFailure.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put("first-log", Services.logsWritten().size());
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withLogs(context, failure);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withLogs(context, failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure)
            throws Throwable {
        throw withLogs(context, failure);
    }

    private static Throwable withLogs(ExtensionContext context, Throwable failure) {
        if (failure instanceof TestAbortedException) {
            return failure;  // an assumption that does not hold is not a failure
        }
        // the logs of the services this class started (they outlive each of its methods)
        List<Path> written = Services.logsWritten();
        int first = Math.min(written.size(), context.getStore(NAMESPACE).getOrDefault("first-log", Integer.class, 0));
        StringBuilder logs = new StringBuilder();
        for (Path log : written.subList(first, written.size())) {
            try {
                if (!Files.exists(log)) {
                    continue;
                }
                Deque<String> last = new ArrayDeque<>();
                try (Stream<String> lines = Files.lines(log)) {
                    lines.filter(line -> NOTEWORTHY.matcher(line).find() && !NOISE.matcher(line).find())
                            .forEach(line -> {
                                last.addLast(line.length() > 400 ? line.substring(0, 400) + "…" : line);
                                if (last.size() > LINES_PER_LOG) {
                                    last.removeFirst();
                                }
                            });
                }
                if (!last.isEmpty()) {
                    logs.append("\n--- ").append(log.getFileName()).append(" (last warnings and errors)\n")
                            .append(String.join("\n", last));
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                logs.append("\n--- ").append(log.getFileName()).append(": unreadable (").append(e).append(')');
            }
        }
        if (logs.isEmpty()) {
            return failure;
        }
        AssertionFailedError annotated = new AssertionFailedError(failure.getMessage() + logs, failure);
        annotated.setStackTrace(failure.getStackTrace());
        return annotated;
    }
}
