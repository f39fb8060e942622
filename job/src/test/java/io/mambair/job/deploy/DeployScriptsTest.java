package io.mambair.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mambair.job.RepositoryFiles;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shell scripts of deploy/ run as they will on a node: the GPU discovery script answers in the JSON
 * Spark parses, the EMR bootstrap action and the Databricks init script put the ONNX Runtime natives
 * where the cluster definitions point {@code onnxruntime.native.path}, and the spark-submit wrapper
 * builds the command it documents.
 */
class DeployScriptsTest {
    private static final Path DISCOVERY = RepositoryFiles.resolve("deploy/gpu/getGpusResources.sh");

    @Test
    void discoveryScriptListsTheNodesGpusInSparksResourceFormat(@TempDir Path tmp) throws Exception {
        ProcessRunner.script(tmp.resolve("two/nvidia-smi"), "#!/usr/bin/env bash\n"
                + "[[ \"$*\" == '--query-gpu=index --format=csv,noheader' ]] || exit 7\nprintf '0\\n 1\\n'\n");
        ResourceInformation two = discover(tmp.resolve("two"));
        assertEquals("gpu", two.name());
        assertArrayEquals(new String[] {"0", "1"}, two.addresses());

        ProcessRunner.script(tmp.resolve("broken/nvidia-smi"), "#!/usr/bin/env bash\necho 'NVIDIA-SMI has failed' >&2\nexit 9\n");
        ResourceInformation none = discover(tmp.resolve("broken"));
        assertEquals("gpu", none.name());
        assertEquals(0, none.addresses().length, "a node whose driver fails announces no GPU");
    }

    private static ResourceInformation discover(Path fakeBin) throws Exception {
        ProcessRunner.Result r = ProcessRunner.run(List.of(DISCOVERY.toString()), fakeBin, Map.of("PATH", ProcessRunner.pathWith(fakeBin)), 30);
        assertEquals(0, r.exitCode(), r.output());
        return ResourceInformation.parseJson(r.output().trim());
    }

    @Test
    void emrBootstrapInstallsNativesJarAndDiscoveryWhereTheClusterPointsSpark(@TempDir Path tmp) throws Exception {
        JsonNode cluster = DeployTexts.json("deploy/emr/cluster.json");
        JsonNode spark = DeployFilesTest.classification(cluster, "spark-defaults");
        List<String> step = DeployTexts.strings(DeployTexts.json("deploy/emr/step.json").get(0).get("Args"));
        String ortJar = step.get(step.indexOf("--jars") + 1).replaceFirst("^local://", "");
        JsonNode action = cluster.get("BootstrapActions").get(0).get("ScriptBootstrapAction");
        String prefix = action.get("Args").get(0).asText();

        // A fake `aws s3` over a local folder standing for the S3 prefix, holding what deploy/README.md says to upload.
        Path bucket = Files.createDirectories(tmp.resolve("s3"));
        Files.copy(RepositoryFiles.onnxRuntimeJar(), bucket.resolve(Path.of(ortJar).getFileName()));
        Files.copy(DISCOVERY, bucket.resolve("getGpusResources.sh"));
        Files.writeString(bucket.resolve("notes.txt"), "not a jar");
        Path bin = tmp.resolve("bin");
        ProcessRunner.script(bin.resolve("aws"), "#!/usr/bin/env bash\n"
                + "map() { echo \"" + bucket + "${1#" + prefix + "}\"; }\n"
                + "case \"$1 $2\" in\n"
                + "  's3 ls') for f in \"$(map \"$3\")\"*; do echo \"2026-01-01 00:00:00 $(stat -c %s \"$f\") $(basename \"$f\")\"; done ;;\n"
                + "  's3 cp') cp \"$(map \"$3\")\" \"$4\" ;;\n"
                + "  *) echo \"unexpected aws $*\" >&2; exit 1 ;;\nesac\n");
        Path root = tmp.resolve("node");
        ProcessRunner.Result r = ProcessRunner.run(List.of(RepositoryFiles.resolve("deploy/emr/bootstrap-onnxruntime-gpu.sh").toString(), prefix),
                tmp, Map.of("PATH", ProcessRunner.pathWith(bin), "MAMBAIR_INSTALL_ROOT", root.toString()), 120);
        assertEquals(0, r.exitCode(), r.output());

        String nativePath = nativePath(spark.get("spark.executor.extraJavaOptions").asText());
        assertEquals(nativePath, nativePath(spark.get("spark.driver.extraJavaOptions").asText()));
        assertNativesIn(root, nativePath);
        assertTrue(spark.get("spark.executor.extraLibraryPath").asText().startsWith(nativePath + ":"), "CUDA provider found beside the natives");
        assertTrue(Files.isRegularFile(under(root, ortJar)), "the --jars of the step exists on the node: " + ortJar);
        Path discovery = under(root, spark.get("spark.executor.resource.gpu.discoveryScript").asText());
        assertTrue(Files.isExecutable(discovery), discovery.toString());
        assertEquals(Files.readString(DISCOVERY), Files.readString(discovery));
    }

    @Test
    void databricksInitScriptUnpacksTheNativesWhereTheJobPointsSpark(@TempDir Path tmp) throws Exception {
        JsonNode cluster = DeployTexts.json("deploy/databricks/job.json").get("job_clusters").get(0).get("new_cluster");
        JsonNode conf = cluster.get("spark_conf");
        List<String> scripts = new ArrayList<>();
        cluster.get("init_scripts").forEach(s -> scripts.add(s.get("volumes").get("destination").asText()));
        assertEquals(List.of("/Volumes/main/mambair/jars/init-onnxruntime-gpu.sh"), scripts);

        ProcessRunner.Result r = ProcessRunner.run(List.of(RepositoryFiles.resolve("deploy/databricks/init-onnxruntime-gpu.sh").toString()), tmp,
                Map.of("MAMBAIR_ORT_JAR", RepositoryFiles.onnxRuntimeJar().toString(), "MAMBAIR_INSTALL_ROOT", tmp.resolve("node").toString()), 120);
        assertEquals(0, r.exitCode(), r.output());
        String nativePath = nativePath(conf.get("spark.executor.extraJavaOptions").asText());
        assertEquals(nativePath, nativePath(conf.get("spark.driver.extraJavaOptions").asText()));
        assertNativesIn(tmp.resolve("node"), nativePath);
    }

    @Test
    void wrapperBuildsTheDocumentedSparkSubmitCommand(@TempDir Path tmp) throws Exception {
        List<String> out = wrapper(tmp, Map.of("SPARK_SUBMIT", "/opt/spark/bin/spark-submit"), "--dry-run",
                "--master", "yarn", "--deploy-mode", "cluster", "--job-jar", "s3://b/mambair-job-0.1.0-SNAPSHOT-all.jar",
                "--ort-jar", "local:///opt/onnxruntime/onnxruntime_gpu-1.24.3.jar", "--gpu", "--ort-native-path", "/opt/onnxruntime/lib",
                "--conf", "spark.executor.extraJavaOptions=-Xss8m", "--conf", "spark.executor.cores=4",
                "--preset", "light_sr_x2", "--config", "s3://b/job.conf", "--set", "run-id=r1");
        assertEquals(List.of("/opt/spark/bin/spark-submit", "--class", "io.mambair.job.MambairJob", "--master", "yarn", "--deploy-mode", "cluster",
                "--jars", "local:///opt/onnxruntime/onnxruntime_gpu-1.24.3.jar",
                "--conf", "spark.executor.resource.gpu.amount=1", "--conf", "spark.task.resource.gpu.amount=0.25",
                "--conf", "spark.executor.resource.gpu.discoveryScript=/opt/mambair/getGpusResources.sh",
                "--conf", "spark.driver.extraJavaOptions=-Donnxruntime.native.path=/opt/onnxruntime/lib",
                "--conf", "spark.executor.extraJavaOptions=-Xss8m -Donnxruntime.native.path=/opt/onnxruntime/lib",
                "--conf", "spark.executor.cores=4",
                "s3://b/mambair-job-0.1.0-SNAPSHOT-all.jar", "--preset", "light_sr_x2", "--config", "s3://b/job.conf", "--set", "run-id=r1"), out);
        DeployFilesTest.settings(out.subList(out.indexOf("s3://b/mambair-job-0.1.0-SNAPSHOT-all.jar") + 1, out.size()), Map.of());
    }

    @Test
    void wrapperRefusesBadArgumentsWithAMessage(@TempDir Path tmp) throws Exception {
        assertRefused(tmp, "unknown option '--sett'", "--job-jar", "x.jar", "--sett", "a=b");
        assertRefused(tmp, "--set run-id is not KEY=VALUE", "--job-jar", "x.jar", "--set", "run-id");
        assertRefused(tmp, "no job options", "--job-jar", "x.jar");
        assertRefused(tmp, "--master needs a value", "--job-jar", "x.jar", "--preset", "quickstart", "--master");
    }

    private static void assertRefused(Path tmp, String message, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RepositoryFiles.resolve("deploy/spark-submit.sh").toString(), "--dry-run"));
        cmd.addAll(List.of(args));
        ProcessRunner.Result r = ProcessRunner.run(cmd, tmp, Map.of(), 30);
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains(message), r.output());
    }

    /** The wrapper's output lines (with --dry-run: the command, one argument per line). */
    static List<String> wrapper(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RepositoryFiles.resolve("deploy/spark-submit.sh").toString()));
        cmd.addAll(List.of(args));
        ProcessRunner.Result r = ProcessRunner.run(cmd, dir, env, 60);
        assertEquals(0, r.exitCode(), r.output());
        return r.output().lines().toList();
    }

    private static String nativePath(String javaOptions) {
        for (String o : javaOptions.split("\\s+")) if (o.startsWith("-Donnxruntime.native.path=")) return o.substring(o.indexOf('=') + 1);
        throw new AssertionError("no -Donnxruntime.native.path in " + javaOptions);
    }

    private static void assertNativesIn(Path root, String nativePath) {
        for (String lib : List.of("libonnxruntime.so", "libonnxruntime4j_jni.so")) {
            assertTrue(Files.isRegularFile(under(root, nativePath).resolve(lib)), lib + " installed in " + nativePath);
        }
    }

    private static Path under(Path root, String absolute) {
        return root.resolve(absolute.replaceFirst("^/+", ""));
    }
}
