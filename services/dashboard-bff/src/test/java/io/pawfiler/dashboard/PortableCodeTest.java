package io.pawfiler.dashboard;

import org.junit.jupiter.api.Test;

import io.pawfiler.testing.arch.PortableCode;

/** This service's main code imports no io.helidon class: the Helidon glue is platform-helidon's. */
class PortableCodeTest {

    @Test
    void mainCodeDependsOnNoHelidonClass() {
        PortableCode.check("io.pawfiler.dashboard");
    }
}
