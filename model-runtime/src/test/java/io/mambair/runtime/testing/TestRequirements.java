package io.mambair.runtime.testing;

import io.mambair.runtime.graph.ScanFormulation;
import io.mambair.runtime.scan.FusedScanLibrary;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a test needs from its environment beyond the repository. A missing resource skips the test with a message
 * naming it (shown in the Surefire report); with {@code -Dmambair.strict=true} (set by {@code .ci/run}) it fails
 * the test instead, so CI cannot pass without having run it.
 */
public final class TestRequirements {
    /** The system property that turns missing resources into failures. */
    public static final String STRICT_PROPERTY = "mambair.strict";

    private TestRequirements() {}

    /** Whether missing resources fail tests rather than skip them. */
    public static boolean strict() {
        return Boolean.parseBoolean(System.getProperty(STRICT_PROPERTY, "false"));
    }

    /** Skips (or, strict, fails) the calling test unless {@code available}; {@code resource} names what is missing. */
    public static void require(boolean available, String resource) {
        if (available) return;
        String message = "missing test resource: " + resource;
        if (strict()) fail(message + " (-D" + STRICT_PROPERTY + "=true: missing resources fail the build)");
        assumeTrue(false, message + "; skipping");
    }

    /** The fused selective-scan library for this platform; skips (or, strict, fails) the test when the build made none. */
    public static Path fusedScanLibrary() {
        var library = FusedScanLibrary.path();
        require(library.isPresent(), "fused selective-scan library libmambair_scan.so for " + System.getProperty("os.name")
                + "/" + System.getProperty("os.arch") + " (none packaged: built without a C++ compiler, or another platform)");
        return library.get();
    }

    /** For a case parameterised by scan formulation: a {@code FUSED} case needs the fused library (skip or fail as above). */
    public static void requireScan(ScanFormulation scan) {
        if (scan == ScanFormulation.FUSED) fusedScanLibrary();
    }
}
