package io.mambair.job.deploy;

import io.mambair.job.RepositoryFiles;
import io.mambair.runtime.testing.Slow;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed allocation inside the fused scan kernel (forced with the native library's test-only
 * MAMBAIR_SCAN_FAIL_ALLOC=1: its first scratch allocation fails) is an error row for that image: the JVM lives on,
 * the later scans of the same process succeed, and the run finishes with the other images ok.
 */
@Slow
class ScanAllocationFailureIT {

    @Test
    void theImageWhoseScanCouldNotAllocateIsAnErrorRowAndTheOthersAreRestored(@TempDir Path out) throws Exception {
        List<String> cmd = List.of("bin/mambair", "run", "--preset", "quickstart", "--set", "output.path=\"" + out + "\"",
                "--set", "run-id=failalloc", "--set", "fail-on-error-fraction=0.5");
        ProcessRunner.Result r = ProcessRunner.run(cmd, RepositoryFiles.root(),
                Map.of("MAMBAIR_JAVA_OPTS", "-Xmx2g", "MAMBAIR_SCAN_FAIL_ALLOC", "1"), 500);
        assertEquals(0, r.exitCode(), "one error in five is under the run's fail-on-error-fraction of 0.5: " + r.output());
        assertTrue(r.output().contains("inputs 5 = ok 4 + error 1 + skipped 0"), r.output());
        SparkSession spark = SparkSession.builder().master("local[1]").appName("mambair-check")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            List<Row> errors = spark.read().parquet(out.resolve("_mambair/images").toString())
                    .filter("status = 'error'").collectAsList();
            assertEquals(1, errors.size());
            String message = errors.get(0).getAs("error_message");
            assertTrue(message.contains("SelectiveScan2D: cannot allocate"), message);
        } finally {
            spark.stop();
        }
    }
}
