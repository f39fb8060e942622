package io.mambair.runtime.scan;

import io.mambair.runtime.testing.TestRequirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged library's load-time settings, each in a child JVM through ONNX Runtime: MAMBAIR_SCAN_ISA forces
 * every path this CPU has (each against the float64 reference) and names the available ones for a path it lacks;
 * MAMBAIR_SCAN_FAIL_ALLOC turns a failed scratch allocation into an error of that call, and the JVM and the next
 * call carry on.
 */
class ScanPathOverrideTest {
    private static String library;

    @BeforeAll
    static void packagedLibrary() {
        TestRequirements.require(FusedScanLibrary.path().isPresent(), "the fused library (" + FusedScanLibrary.absenceReason().orElse("not built") + ")");
        library = FusedScanLibrary.path().orElseThrow().toString();
    }

    @TestFactory
    Stream<DynamicTest> everyPathThisCpuHasMatchesTheFloat64ReferenceWhenForced() throws Exception {
        return CpuPaths.expected().stream().map(isa -> DynamicTest.dynamicTest(isa, () -> {
            NativeTools.Run run = child("reference", Map.of("MAMBAIR_SCAN_ISA", isa));
            assertTrue(run.output().contains("MAMBAIR_SCAN_ISA=" + isa + ": the selective scan runs the " + isa + " path"),
                    run.output());
            assertEquals(0, run.exitCode(), run.output());
        }));
    }

    @Test
    void aPathThisCpuLacksIsAClearErrorNamingTheAvailableOnes() throws Exception {
        String missing = System.getProperty("os.arch").equals("aarch64") ? "avx2" : "neon";
        NativeTools.Run run = child("reference", Map.of("MAMBAIR_SCAN_ISA", missing));
        assertEquals(3, run.exitCode(), run.output());
        assertTrue(run.output().contains("MAMBAIR_SCAN_ISA=" + missing
                + " is not a path this CPU and build can run (available: " + String.join(", ", CpuPaths.expected()) + ")"),
                run.output());
    }

    @Test
    void aFailedScratchAllocationFailsThatCallOnlyAndTheNextCallIsRight() throws Exception {
        NativeTools.Run run = child("fault", Map.of("MAMBAIR_SCAN_FAIL_ALLOC", "1"));
        assertTrue(run.output().contains("first call failed: ") && run.output().contains(
                "SelectiveScan: cannot allocate "), run.output());
        assertEquals(0, run.exitCode(), run.output());
    }

    private static NativeTools.Run child(String mode, Map<String, String> environment) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return NativeTools.run(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-D" + FusedScanLibrary.PATH_PROPERTY + "=" + library, ScanPathCheck.class.getName(), mode),
                environment, 300);
    }
}
