package io.mambair.runtime.scan;

import io.mambair.runtime.testing.Slow;
import io.mambair.runtime.testing.TestRequirements;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The aarch64 build of the CPU kernel, run under qemu-user: its NEON path and its generic path over the official
 * models' shape classes against the harness's float64 reference, within the bound of the x86-64 kernel tests.
 */
@Slow
class ScanKernelAarch64Test {
    private static final Path SYSROOT = Path.of("/usr/aarch64-linux-gnu");

    @Test
    void neonAndGenericPathsMatchTheFloat64ReferenceUnderQemu() throws Exception {
        Path qemu = NativeTools.find("qemu-aarch64-static").or(() -> NativeTools.find("qemu-aarch64")).orElse(null);
        TestRequirements.require(qemu != null, "qemu-aarch64-static on PATH (Debian qemu-user-static)");
        List<String> compiler;
        if (NativeTools.find("aarch64-linux-gnu-g++").isPresent()) {
            compiler = List.of("aarch64-linux-gnu-g++");
        } else {
            TestRequirements.require(NativeTools.find("clang++").isPresent() && NativeTools.find("ld.lld").isPresent()
                            && Files.isRegularFile(SYSROOT.resolve("lib/libc.a")),
                    "aarch64-linux-gnu-g++, or clang++ with ld.lld and libc6-dev-arm64-cross");
            compiler = List.of("clang++", "--target=aarch64-linux-gnu", "-fuse-ld=lld");
        }
        Path harness = NativeTools.buildHarness("scan_harness_aarch64", compiler, List.of("-O2", "-static"));
        NativeTools.Run isas = NativeTools.run(List.of(qemu.toString(), harness.toString(), "--isas"), Map.of(), 120);
        assertEquals(0, isas.exitCode(), isas.output());
        assertEquals(List.of("neon", "generic"), isas.output().lines().toList());
        assertAll(List.of("neon", "generic").stream().map(isa -> () -> {
            NativeTools.Run run = NativeTools.run(List.of(qemu.toString(), harness.toString(), isa), Map.of(), 600);
            System.out.print(run.output());
            assertEquals(0, run.exitCode(), run.output());
            assertEquals(9, run.output().lines().filter(l -> l.startsWith("isa " + isa + " |") && l.endsWith("| ok")).count(),
                    run.output());
        }));
    }
}
