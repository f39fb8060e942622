package io.mambair.runtime.scan;

import io.mambair.runtime.testing.Slow;
import io.mambair.runtime.testing.TestRequirements;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU kernel built with AddressSanitizer and UndefinedBehaviorSanitizer (g++ or clang++), every SIMD path this
 * CPU has run over the official models' shape classes against the harness's float64 reference: within the bound,
 * and no sanitizer report.
 */
@Slow
class ScanKernelSanitizerTest {

    @TestFactory
    Stream<DynamicTest> everyPathThisCpuRunsMatchesTheFloat64ReferenceUnderAsanAndUbsan() throws Exception {
        String compiler = NativeTools.find("g++").map(Path::toString)
                .or(() -> NativeTools.find("clang++").map(Path::toString)).orElse(null);
        TestRequirements.require(compiler != null, "g++ or clang++ on PATH to build the sanitizer harness");
        Path harness = NativeTools.buildHarness("scan_harness_sanitized", List.of(compiler), List.of("-O1", "-g",
                "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"));
        Map<String, String> env = Map.of("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0",
                "UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1");
        NativeTools.Run isas = NativeTools.run(List.of(harness.toString(), "--isas"), env, 60);
        assertEquals(0, isas.exitCode(), isas.output());
        List<String> paths = isas.output().lines().toList();
        assertEquals(CpuPaths.expected(), paths, "the kernel's paths against /proc/cpuinfo");
        List<DynamicTest> tests = new ArrayList<>();
        for (String isa : paths) {
            tests.add(DynamicTest.dynamicTest(isa, () -> {
                NativeTools.Run run = NativeTools.run(List.of(harness.toString(), isa), env, 600);
                assertFalse(run.output().contains("Sanitizer") || run.output().contains("runtime error"), run.output());
                assertEquals(0, run.exitCode(), run.output());
                assertEquals(9, run.output().lines().filter(l -> l.startsWith("isa " + isa + " |") && l.endsWith("| ok")).count(),
                        run.output());
            }));
        }
        return tests.stream();
    }
}
