package io.mambair.job.deploy;

import io.mambair.job.RepositoryFiles;
import io.mambair.runtime.testing.SharedData;
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
 * deploy/spark-submit.sh runs the shaded job jar under Spark's own launcher class in local mode:
 * SPARK_SUBMIT is a shim running {@code org.apache.spark.deploy.SparkSubmit} (what bin/spark-submit
 * runs) on Spark's classpath without this project's classes or ONNX Runtime, so the job comes from the
 * shaded jar and ONNX Runtime from {@code --jars}, with its natives read from the folder the EMR
 * bootstrap action makes ({@code --ort-native-path}).
 */
@Slow
class SparkSubmitWrapperIT {
    @Test
    void wrapperArgumentsRunTheShadedJarInLocalMode(@TempDir Path tmp) throws Exception {
        Path jobJar = Path.of(System.getProperty("mambair.job.jar"));
        assertTrue(Files.isRegularFile(jobJar), "built by package: " + jobJar);
        Path model = SharedData.fixture("protocol_light_sr_x2_tiled").resolve("model.pth");
        Path ortJar = RepositoryFiles.onnxRuntimeJar();
        Path natives = Files.createDirectories(tmp.resolve("onnxruntime-lib"));
        ProcessRunner.Result unzip = ProcessRunner.run(List.of("bash", "-c",
                "cd '" + natives + "' && jar xf '" + ortJar + "' ai/onnxruntime/native/linux-x64 && mv ai/onnxruntime/native/linux-x64/* . && rm -r ai"),
                tmp, Map.of(), 120);
        assertEquals(0, unzip.exitCode(), unzip.output());

        Path argsLog = tmp.resolve("spark-submit.args");
        Path shim = SparkSubmitShim.create(tmp, argsLog);

        Path in = Files.createDirectories(tmp.resolve("in"));
        for (String sample : List.of("chelsea_cat.png", "camera_grey.png")) Files.copy(RepositoryFiles.resolve("samples/" + sample), in.resolve(sample));
        Path out = tmp.resolve("out");
        List<String> args = List.of("--master", "local[2]", "--job-jar", jobJar.toString(), "--ort-jar", ortJar.toString(),
                "--ort-native-path", natives.toString(), "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
                "--preset", "quickstart", "--set", "model.path=\"" + model + "\"", "--set", "input.path=\"" + in + "\"",
                "--set", "output.path=\"" + out + "\"", "--set", "restore.device=cpu", "--set", "restore.tile-mode=whole", "--set", "run-id=wrapper");

        List<String> dryRun = new ArrayList<>(List.of("--dry-run"));
        dryRun.addAll(args);
        List<String> expected = DeployScriptsTest.wrapper(tmp, Map.of("SPARK_SUBMIT", shim.toString()), dryRun.toArray(String[]::new));
        List<String> cmd = new ArrayList<>(List.of(RepositoryFiles.resolve("deploy/spark-submit.sh").toString()));
        cmd.addAll(args);
        ProcessRunner.Result r = ProcessRunner.run(cmd, tmp, Map.of("SPARK_SUBMIT", shim.toString()), 400);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(expected.subList(1, expected.size()), Files.readAllLines(argsLog), "spark-submit got exactly the documented arguments");
        assertTrue(r.output().contains("inputs 2 = ok 2 + error 0 + skipped 0"), r.output());
        assertTrue(r.output().contains("restored images: file:" + out), r.output());
        PackagedRunChecks.assertRestoredX2(in, out, "wrapper", 2);
    }
}
