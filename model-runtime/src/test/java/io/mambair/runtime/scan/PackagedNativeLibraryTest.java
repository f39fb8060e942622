package io.mambair.runtime.scan;

import io.mambair.runtime.testing.TestRequirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every packaged {@code libmambair_scan.so} runs on glibc 2.17 and needs only the C runtime: its ELF NEEDED entries
 * and symbol-version needs, read from the files the jar packages (target/classes/native/*).
 */
class PackagedNativeLibraryTest {
    private static final Set<String> C_RUNTIME = Set.of("libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0",
            "librt.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1");
    private static final Pattern GLIBC = Pattern.compile("GLIBC_(\\d+)\\.(\\d+)(?:\\.\\d+)?");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"linux-x86_64, 62, x86_64-linux-gnu-g++", "linux-aarch64, 183, aarch64-linux-gnu-g++"})
    void libraryIsPackagedWhereTheBuildHasACompilerAndNeedsOnlyGlibc217(String platform, int machine, String crossCompiler)
            throws Exception {
        Path folder = classesDir().resolve("native").resolve(platform);
        Path library = folder.resolve("libmambair_scan.so");
        if (!Files.isRegularFile(library)) {
            Path note = folder.resolve("libmambair_scan.so.missing");
            assertTrue(Files.isRegularFile(note), "neither " + library + " nor the build's note why it is missing");
            boolean host = platform.equals("linux-" + System.getProperty("os.arch").replace("amd64", "x86_64"));
            boolean compiler = (host && NativeTools.find("g++").isPresent())
                    || NativeTools.find(crossCompiler).isPresent()
                    || (NativeTools.find("clang++").isPresent() && NativeTools.find("ld.lld").isPresent());
            assertFalse(compiler, platform + " has a compiler on this machine but no library: " + Files.readString(note));
            TestRequirements.require(false, "no library for " + platform + ": " + Files.readString(note).trim());
        }
        ElfDependencies elf = ElfDependencies.read(library);
        assertEquals(machine, elf.machine(), "ELF machine of " + library);
        assertEquals(List.of(), violations(elf), library + " needs more than glibc 2.17's C runtime");
    }

    @Test
    void theCheckFindsTheCppRuntimeAndNewerGlibcInOnnxRuntimesOwnLibrary() throws Exception {
        String arch = System.getProperty("os.arch").equals("amd64") ? "x64" : System.getProperty("os.arch");
        String resource = "ai/onnxruntime/native/linux-" + arch + "/libonnxruntime.so";
        Path copy = Files.createTempFile("libonnxruntime", ".so");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            TestRequirements.require(in != null, "no " + resource + " on the classpath");
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            ElfDependencies elf = ElfDependencies.read(copy);
            assertTrue(elf.needed().contains("libc.so.6"), elf.needed().toString());
            assertTrue(elf.versions().stream().anyMatch(v -> v.file().equals("libc.so.6") && v.version().startsWith("GLIBC_2.")),
                    elf.versions().toString());
            assertFalse(violations(elf).isEmpty(), "ONNX Runtime's library needs libstdc++ or a glibc above 2.17: "
                    + elf.needed() + " " + elf.versions());
        } finally {
            Files.delete(copy);
        }
    }

    /** NEEDED entries outside the C runtime, and versions other than GLIBC_x.y with x.y <= 2.17. */
    static List<String> violations(ElfDependencies elf) {
        List<String> found = new ArrayList<>();
        for (String library : elf.needed()) {
            if (!C_RUNTIME.contains(library)) found.add("NEEDED " + library);
        }
        for (ElfDependencies.VersionNeed need : elf.versions()) {
            Matcher m = GLIBC.matcher(need.version());
            boolean ok = m.matches() && (Integer.parseInt(m.group(1)) < 2
                    || (Integer.parseInt(m.group(1)) == 2 && Integer.parseInt(m.group(2)) <= 17));
            if (!ok) found.add(need.version() + " from " + need.file());
        }
        return found;
    }

    private static Path classesDir() throws Exception {
        return Paths.get(FusedScanLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
