package io.pawfiler.kafkabroker;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Entry point of the broker's child JVM (internal; {@link KafkaBrokerProcess} launches it):
 * {@code BrokerMain [--format <clusterId>] <server.properties>}.
 *
 * <ul>
 *   <li>Formats the storage in the same JVM as the server when asked: one JVM start instead of two.</li>
 *   <li>Exits (gracefully, through Kafka's own shutdown hook) when its standard input ends, which happens when the
 *       parent JVM dies, even by {@code kill -9}: no orphan broker outlives the tests that started it.</li>
 * </ul>
 *
 * <p>Plain JDK and reflection only: this class is compiled against no Kafka API and runs on the broker's own
 * classpath. It is a single class file on purpose (no nested or anonymous classes): the launcher copies exactly
 * {@code BrokerMain.class} into a small jar for the child's classpath.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Throwable {
        exitWhenParentGoes();
        String properties;
        if (args.length == 3 && "--format".equals(args[0])) {
            properties = args[2];
            format(args[1], properties);
        } else if (args.length == 1) {
            properties = args[0];
        } else {
            System.err.println("usage: BrokerMain [--format <clusterId>] <server.properties>");
            System.exit(2);
            return;
        }
        invokeStatic("kafka.Kafka", "main", new Class<?>[] {String[].class}, (Object) new String[] {properties});
    }

    /** The parent holds our stdin pipe open for as long as it lives; end of input means it is gone. */
    private static void exitWhenParentGoes() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent never writes; just wait for end of input
                }
            } catch (IOException closed) {
                // same meaning as end of input
            }
            System.out.println("BrokerMain: parent process gone, shutting the broker down");
            System.exit(0);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void format(String clusterId, String properties) throws Throwable {
        String[] formatArgs = {"format", "-t", clusterId, "-c", properties, "--ignore-formatted"};
        int exitCode;
        try {
            exitCode = (Integer) invokeStatic("kafka.tools.StorageTool", "execute",
                    new Class<?>[] {String[].class, PrintStream.class}, formatArgs, System.out);
        } catch (RuntimeException e) {
            // the tool reports bad input as kafka.tools.TerseFailure; its message says what is wrong
            System.err.println("Kafka storage format failed: " + e);
            exitCode = 1;
        }
        if (exitCode != 0) {
            System.err.println("Kafka storage format exited with " + exitCode);
            System.exit(exitCode);
        }
    }

    private static Object invokeStatic(String className, String methodName, Class<?>[] types, Object... args)
            throws Throwable {
        Method method = Class.forName(className).getMethod(methodName, types);
        try {
            return method.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
