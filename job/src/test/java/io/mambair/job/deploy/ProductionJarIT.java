package io.mambair.job.deploy;

import io.mambair.job.RepositoryFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded job jar holds what a cluster runs: the fused-scan library for both Linux platforms (the very files
 * PackagedNativeLibraryTest checked), and no test, benchmark or harness class of any module, no test library.
 */
class ProductionJarIT {
    private static final List<String> MODULES = List.of("model-runtime", "udfs", "job");

    @Test
    void theShadedJobJarHoldsNoTestOrBenchmarkClasses() throws IOException {
        Path jar = Path.of(System.getProperty("mambair.job.jar"));
        assertTrue(Files.isRegularFile(jar), "built by package: " + jar);
        Set<String> testClasses = new HashSet<>();
        for (String module : MODULES) {
            Path classes = RepositoryFiles.resolve(module + "/target/test-classes");
            if (!Files.isDirectory(classes)) continue;
            try (Stream<Path> files = Files.walk(classes)) {
                files.filter(p -> p.toString().endsWith(".class")).forEach(p -> testClasses.add(classes.relativize(p).toString()));
            }
        }
        assertTrue(testClasses.stream().anyMatch(c -> c.endsWith("ThroughputBenchmark.class")), "test classes were compiled: " + testClasses.size());
        List<String> offending = new ArrayList<>();
        int mambairClasses = 0;
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (var entries = jf.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (!name.endsWith(".class")) continue;
                if (name.startsWith("io/mambair/") && !name.startsWith("io/mambair/shaded/")) mambairClasses++;
                String simple = name.substring(name.lastIndexOf('/') + 1).replaceAll("\\$.*|\\.class$", "");
                boolean harness = name.startsWith("io/mambair/") && simple.matches(".*(Test|IT|Benchmark|Bench\\w*)");
                if (testClasses.contains(name) || harness || name.startsWith("org/junit/")) offending.add(name);
            }
        }
        assertTrue(mambairClasses > 50, "the jar holds the project's classes: " + mambairClasses);
        assertEquals(List.of(), offending);
    }

    @Test
    void theShadedJobJarCarriesTheCheckedScanLibraryForX86AndAarch64() throws IOException {
        Path jar = Path.of(System.getProperty("mambair.job.jar"));
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (String platform : List.of("linux-x86_64", "linux-aarch64")) {
                String entry = "native/" + platform + "/libmambair_scan.so";
                var packaged = jf.getJarEntry(entry);
                assertNotNull(packaged, jar + " carries " + entry);
                byte[] built = Files.readAllBytes(RepositoryFiles.resolve("model-runtime/target/classes/" + entry));
                try (var in = jf.getInputStream(packaged)) {
                    assertArrayEquals(built, in.readAllBytes(), entry + " in the jar is the library the ELF checks read");
                }
            }
        }
    }
}
