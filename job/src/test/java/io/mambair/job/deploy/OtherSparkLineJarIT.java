package io.mambair.job.deploy;

import io.mambair.job.RepositoryFiles;
import io.mambair.runtime.testing.Slow;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each shaded job jar started through Spark's own launcher on the other Spark line (the Scala 2.12 jar on Spark 4.1,
 * the Scala 2.13 jar on Spark 3.5) stops before any Spark context with exit 2 and one line naming the jar to use.
 * Needs both builds: {@code .ci/run} builds Spark 3.5 first, and its Spark 4.1 leg (which sets
 * {@code mambair.spark-lines.compare=true}) runs this test; the Spark 3.5 build alone cannot, and skips it.
 */
@Slow
class OtherSparkLineJarIT {
    @Test
    void eachJarOnTheOtherSparkLineStopsInOneLineNamingTheRightJar(@TempDir Path tmp) throws Exception {
        Path buildDir = Path.of(System.getProperty("mambair.job.build.dir"));
        boolean thisIsSpark4 = buildDir.getFileName().toString().equals("spark4");
        Path otherDir = thisIsSpark4 ? buildDir.getParent() : buildDir.resolve("spark4");
        Path otherJar = shadedJar(otherDir, !thisIsSpark4);
        Assumptions.assumeTrue(Boolean.getBoolean("mambair.spark-lines.compare") || otherJar != null,
                "the other Spark line's build is not in " + otherDir + " (the Spark 4.1 leg of .ci/run runs this)");
        assertTrue(otherJar != null && Files.isRegularFile(otherDir.resolve("classpath.txt")), "the other line's jar and classpath.txt in " + otherDir);
        Path thisJar = Path.of(System.getProperty("mambair.job.jar"));
        List<String> otherClasspath = Arrays.asList(Files.readString(otherDir.resolve("classpath.txt")).trim().split(java.io.File.pathSeparator));

        Path thisSpark = SparkSubmitShim.create(tmp.resolve("this"), tmp.resolve("this.args"));
        Path otherSpark = SparkSubmitShim.create(tmp.resolve("other"), tmp.resolve("other.args"), otherClasspath);
        String thisClassifier = thisIsSpark4 ? "spark4-all" : "all";
        String otherClassifier = thisIsSpark4 ? "all" : "spark4-all";
        assertStopsNaming(thisSpark, otherJar, tmp, thisClassifier);
        assertStopsNaming(otherSpark, thisJar, tmp, otherClassifier);
    }

    private static void assertStopsNaming(Path sparkSubmit, Path jar, Path tmp, String rightClassifier) throws Exception {
        ProcessRunner.Result r = ProcessRunner.run(List.of(sparkSubmit.toString(), "--master", "local[1]", "--class", "io.mambair.job.MambairJob",
                "--conf", "spark.ui.enabled=false", jar.toString(), "--preset", "quickstart",
                "--set", "input.path=\"" + RepositoryFiles.resolve("samples") + "\"", "--set", "output.path=\"" + tmp.resolve("out") + "\""),
                tmp, Map.of(), 120);
        assertEquals(2, r.exitCode(), r.output());
        List<String> errors = r.output().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r.output());
        assertTrue(errors.get(0).contains("; use mambair-job-*-" + rightClassifier + ".jar"), r.output());
        assertTrue(r.output().lines().noneMatch(l -> l.contains("SparkContext")), "stopped before any Spark context:\n" + r.output());
        assertTrue(Files.notExists(tmp.resolve("out")), "nothing written");
    }

    /** The shaded jar in {@code dir}: {@code -spark4-all.jar} when {@code spark4}, else {@code -all.jar}; null when absent. */
    private static Path shadedJar(Path dir, boolean spark4) throws IOException {
        if (!Files.isDirectory(dir)) return null;
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("mambair-job-") && (spark4 ? n.endsWith("-spark4-all.jar") : n.endsWith("-all.jar") && !n.endsWith("-spark4-all.jar"));
            }).findFirst().orElse(null);
        }
    }
}
