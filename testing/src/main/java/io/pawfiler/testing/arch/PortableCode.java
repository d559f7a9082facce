package io.pawfiler.testing.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Business code (every service) and {@code platform/} are portable: Jakarta EE, MicroProfile, grpc-java, JDBC and
 * Kafka-client APIs only. What needs Helidon lives in {@code platform-helidon/}. Each service's
 * {@code PortableCodeTest} (and platform's) checks its main classes with {@link #check(String)}.
 */
public final class PortableCode {

    /** No class of ours depends on a Helidon class (import, call, field, annotation, supertype, ...). */
    public static final ArchRule NO_HELIDON = noClasses()
            .that().resideInAPackage("io.pawfiler..")
            .should().dependOnClassesThat().resideInAPackage("io.helidon..")
            .because("business code and platform/ stay portable; Helidon glue belongs in platform-helidon/ (#16)");

    private PortableCode() {
    }

    /**
     * Fails when a main class under {@code rootPackage} of the module under test (its {@code target/classes}: no
     * test classes, nothing from jars) depends on {@code io.helidon..}.
     */
    public static void check(String rootPackage) {
        NO_HELIDON.check(mainClasses(rootPackage));
    }

    static JavaClasses mainClasses(String rootPackage) {
        // the module's own compiled classes (Maven runs tests in the module's directory): reading them directly is
        // ~0.5 s, where scanning the whole classpath for the package took ~10 s per module
        java.nio.file.Path classes = java.nio.file.Path.of("target", "classes", rootPackage.replace('.', '/'));
        if (!java.nio.file.Files.isDirectory(classes)) {
            throw new IllegalStateException("no compiled main classes at " + classes.toAbsolutePath());
        }
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(classes);
    }
}
