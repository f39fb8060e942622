package io.mambair.runtime.scan.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library's PTX assembled by NVIDIA's {@code ptxas -v} for Ampere, Hopper and Blackwell, where a ptxas is on the
 * machine (CUDA toolkit; never required, skipped without one): no errors, every kernel entry compiled, at most 255
 * registers; registers, stack and spills per kernel written to target/ptxas-report.txt and the test output.
 */
class PtxasReportTest {
    private static final Path PTX = Path.of("target/cuda/scan2d_kernel.ptx");
    private static final Path REPORT = Path.of("target/ptxas-report.txt");
    private static final Pattern ENTRY = Pattern.compile("Compiling entry function '(\\w+)' for '(sm_\\d+)'");
    private static final Pattern FRAME = Pattern.compile("(\\d+) bytes stack frame, (\\d+) bytes spill stores, (\\d+) bytes spill loads");
    private static final Pattern REGISTERS = Pattern.compile("Used (\\d+) registers");

    /** One kernel's resources as ptxas reports them. */
    record Resources(int registers, int stackBytes, int spillStoreBytes, int spillLoadBytes) {}

    static Optional<Path> ptxas() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/local/cuda/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "ptxas");
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** ptxas -v's info lines, per kernel entry. */
    static Map<String, Resources> parse(List<String> lines) {
        Map<String, Resources> out = new LinkedHashMap<>();
        String entry = null;
        int[] frame = null;
        for (String line : lines) {
            Matcher m = ENTRY.matcher(line);
            if (m.find()) {
                entry = m.group(1);
                frame = null;
                continue;
            }
            m = FRAME.matcher(line);
            if (m.find()) frame = new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
            m = REGISTERS.matcher(line);
            if (m.find() && entry != null && frame != null) {
                out.put(entry, new Resources(Integer.parseInt(m.group(1)), frame[0], frame[1], frame[2]));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sm_80", "sm_90", "sm_100"})
    void everyKernelAssemblesWithinTheRegisterFile(String arch, @TempDir Path dir) throws Exception {
        Optional<Path> ptxas = ptxas();
        Assumptions.assumeTrue(ptxas.isPresent(), "no ptxas on this machine (CUDA toolkit; optional)");
        Assumptions.assumeTrue(Files.isRegularFile(PTX) && Files.size(PTX) > 0, "no PTX was built (clang missing)");
        Process p = new ProcessBuilder(ptxas.get().toString(), "-arch=" + arch, "-v", PTX.toString(), "-o",
                dir.resolve("k.cubin").toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "ptxas did not finish");
        assertEquals(0, p.exitValue(), log);
        List<String> lines = log.lines().toList();
        for (String line : lines) assertTrue(!line.toLowerCase().contains("error"), line);
        Map<String, Resources> kernels = parse(lines);
        StringBuilder report = new StringBuilder();
        List<String> entries = Pattern.compile("\\.entry (\\w+)\\(").matcher(Files.readString(PTX)).results().map(r -> r.group(1)).toList();
        assertEquals(8, entries.size(), "kernel entries in the PTX: " + entries);
        for (String name : entries) {
            Resources r = kernels.get(name);
            assertTrue(r != null, name + " was not compiled for " + arch + ":\n" + log);
            assertTrue(r.registers() <= 255, name + " " + r);
            report.append(String.format("%s %-30s registers %3d, stack %3d B, spill stores %3d B, spill loads %3d B%n", arch, name,
                    r.registers(), r.stackBytes(), r.spillStoreBytes(), r.spillLoadBytes()));
        }
        lines.stream().filter(l -> l.toLowerCase().contains("warning")).forEach(l -> report.append(arch).append(" ").append(l).append('\n'));
        System.out.print(report);
        Files.writeString(REPORT, report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
