package io.mambair.job.deploy;

import io.mambair.job.RepositoryFiles;
import io.mambair.runtime.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's quickstart command, run as written from the repository root through bin/mambair (built
 * by package), with one change: the output goes to a temporary folder. Until the bundled demo model is
 * in the repository, the shared light SR x2 fixture stands in for it (the preset names the demo model).
 */
@Slow
class QuickstartIT {
    private static final String COMMAND = "bin/mambair run --preset quickstart";

    @Test
    void readmeQuickstartRestoresTheBundledSamplesAndPrintsWhereEverythingIs(@TempDir Path out) throws Exception {
        String readme = Files.readString(RepositoryFiles.resolve("README.md"));
        assertTrue(readme.contains("mvn -B -ntp -DskipTests package && " + COMMAND + "\n"), "README shows the quickstart command");
        assertTrue(readme.contains("mvn -B -ntp verify"), "README shows the test command");
        String preset = Files.readString(RepositoryFiles.resolve("conf/quickstart.conf"));
        assertTrue(preset.contains("model.path = \"" + RepositoryFiles.DEMO_MODEL + "\""), "the preset names the demo model");
        assertTrue(preset.contains("input.path = \"samples\""), "the preset restores the bundled samples");

        List<String> cmd = new ArrayList<>(List.of(COMMAND.split(" ")));
        cmd.addAll(List.of("--set", "output.path=\"" + out + "\"", "--set", "run-id=quickstart"));
        if (!Files.isRegularFile(RepositoryFiles.resolve(RepositoryFiles.DEMO_MODEL))) {
            cmd.addAll(List.of("--set", "model.path=\"" + RepositoryFiles.quickstartModel() + "\""));
        }
        ProcessRunner.Result r = ProcessRunner.run(cmd, RepositoryFiles.root(), Map.of("MAMBAIR_JAVA_OPTS", "-Xmx2g",
                "MAMBAIR_BUILD_DIR", System.getProperty("mambair.job.build.dir", RepositoryFiles.resolve("job/target").toString())), 500);
        assertEquals(0, r.exitCode(), r.output());
        List<String> lines = r.output().lines().toList();
        assertTrue(lines.size() <= 40, lines.size() + " console lines:\n" + r.output());
        assertEquals(1, lines.stream().filter(l -> l.contains("inputs 5 = ok 5 + error 0 + skipped 0")).count(), "the summary once:\n" + r.output());
        for (String internal : List.of(" INFO ", "SparkContext", "parquet", "Parquet", "message spark_schema", "mambair {")) {
            assertTrue(lines.stream().noneMatch(l -> l.contains(internal)), "no '" + internal + "' on the console:\n" + r.output());
        }
        assertEquals(1, lines.stream().filter(l -> l.contains(" device auto: ")).count(), "auto says once what it chose:\n" + r.output());
        assertTrue(r.output().contains("effective configuration in file:" + out.resolve("_mambair/runs/quickstart/effective.conf")), r.output());
        assertTrue(Files.isRegularFile(out.resolve("_mambair/runs/quickstart/effective.conf")));
        assertTrue(r.output().contains("restored images: file:" + out), r.output());
        assertTrue(r.output().contains("tables: file:" + out.resolve("_mambair/images") + " (per image), file:"
                + out.resolve("_mambair/summary/run_id=quickstart") + " (this run's summary)"), r.output());
        PackagedRunChecks.assertRestoredX2(RepositoryFiles.resolve("samples"), out, "quickstart", 5);
    }
}
