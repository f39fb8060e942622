package io.mambair.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.mambair.job.RepositoryFiles;
import io.mambair.job.config.ConfigSources;
import io.mambair.job.config.JobSettings;
import io.mambair.job.config.SettingsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every file of deploy/ parses (JSON, YAML, shell, HOCON), and every class, jar name, Maven coordinate,
 * preset and configuration key it (or a README) names exists in this build.
 */
class DeployFilesTest {
    private static final Pattern CLASS_NAME =
            Pattern.compile("\\b((?:io\\.mambair|org\\.apache\\.spark|org\\.apache\\.hadoop)(?:\\.[a-z][a-z0-9_]*)+\\.[A-Z][A-Za-z0-9_]*)");
    private static final Pattern JOB_JAR = Pattern.compile("(mambair-job-[A-Za-z0-9.<>*-]+?\\.jar)");
    private static final Pattern ORT_GPU_VERSION = Pattern.compile("onnxruntime_gpu[-:]([0-9][0-9.]*[0-9])");
    private static final Pattern ORT_CPU_VERSION = Pattern.compile("onnxruntime[-:]([0-9][0-9.]*[0-9])");
    private static final Pattern SET_KEY = Pattern.compile("--set[\\s=\"',-]+([a-z][a-z0-9.-]*[a-z0-9])=");
    private static final Pattern SPARK_KEY = Pattern.compile("spark\\.mambair\\.([a-z][a-z0-9.-]*[a-z0-9])(?![A-Za-z0-9])");

    @Test
    void everyFileInDeployParses() throws Exception {
        List<Path> files = RepositoryFiles.filesUnder("deploy");
        assertTrue(files.size() >= 10, "deploy/ is populated: " + files);
        for (Path f : files) {
            String name = f.getFileName().toString();
            String rel = RepositoryFiles.root().relativize(f).toString();
            if (name.endsWith(".json")) {
                DeployTexts.json(rel);
            } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                DeployTexts.yaml(rel);
            } else if (name.endsWith(".sh")) {
                ProcessRunner.Result r = ProcessRunner.run(List.of("bash", "-n", f.toString()), f.getParent(), Map.of(), 30);
                assertEquals(0, r.exitCode(), rel + ": " + r.output());
                assertTrue(f.toFile().canExecute(), rel + " is executable");
                assertTrue(DeployTexts.text(f).startsWith("#!/usr/bin/env bash\n"), rel + " starts with a bash shebang");
            } else if (name.endsWith(".conf")) {
                settings(List.of("--config", "s3://YOUR-BUCKET/mambair/" + name), Map.of());
            } else if (!name.equals("README.md")) {
                fail("no syntax check for " + rel + "; add one to this test");
            }
        }
    }

    @Test
    void everyClassNamedInDeployNotebooksAndReadmesIsOnTheClasspath() throws Exception {
        Set<String> names = new TreeSet<>();
        for (Path f : documentedFiles()) names.addAll(DeployTexts.matches(CLASS_NAME, DeployTexts.text(f)));
        assertTrue(names.contains("io.mambair.job.MambairJob"), "the main class is named: " + names);
        assertTrue(names.contains("org.apache.hadoop.yarn.util.resource.DominantResourceCalculator"), names.toString());
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            try {
                Class.forName(n, false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                missing.add(n);
            }
        }
        assertEquals(List.of(), missing, "classes named but not on the classpath");
    }

    @Test
    void jarNamesAndCoordinatesMatchTheBuild() throws Exception {
        String version = xpath("pom.xml", "/project/version");
        String cpuOrt = xpath("pom.xml", "/project/properties/*[local-name()='onnxruntime.version']");
        // one ONNX Runtime version across the CPU and GPU artifacts: the gpu profile changes the artifact only
        assertEquals("", evaluate("pom.xml", "/project/profiles/profile[id='gpu']/properties/*[local-name()='onnxruntime.version']"),
                "the gpu profile keeps the CPU build's ONNX Runtime version");
        String gpuOrt = cpuOrt;
        String artifact = xpath("job/pom.xml", "/project/artifactId");
        assertEquals("${job.jar.classifier}", xpath("job/pom.xml", "//plugin[artifactId='maven-shade-plugin']//shadedClassifierName"));
        String jobJar = artifact + "-" + version + "-" + xpath("pom.xml", "/project/properties/*[local-name()='job.jar.classifier']") + ".jar";
        String spark4Jar = artifact + "-" + version + "-"
                + xpath("pom.xml", "/project/profiles/profile[id='spark4']/properties/*[local-name()='job.jar.classifier']") + ".jar";
        int concrete = 0;
        for (Path f : documentedFiles()) {
            String text = DeployTexts.text(f);
            for (String jar : DeployTexts.matches(JOB_JAR, text)) {
                if (jar.contains("*") || jar.contains("<")) {
                    var glob = Path.of(jobJar).getFileSystem().getPathMatcher("glob:" + jar.replaceAll("<[^>]*>", "*"));
                    assertTrue(glob.matches(Path.of(jobJar)) || glob.matches(Path.of(spark4Jar)),
                            f + ": pattern " + jar + " matches neither " + jobJar + " nor " + spark4Jar);
                } else if (jar.endsWith("-all.jar")) {
                    assertTrue(jar.equals(jobJar) || jar.equals(spark4Jar), f + " names " + jar + ", neither " + jobJar + " nor " + spark4Jar);
                    concrete++;
                } else if (!jar.equals(artifact + "-" + version + ".jar") && !jar.matches("mambair-job-\\*\\.jar")) {
                    fail(f + " names an unknown job jar " + jar);
                }
            }
            for (String v : DeployTexts.matches(ORT_GPU_VERSION, text)) assertEquals(gpuOrt, v, f + ": ONNX Runtime GPU version");
            for (String v : DeployTexts.matches(ORT_CPU_VERSION, text)) assertEquals(cpuOrt, v, f + ": ONNX Runtime CPU version");
        }
        assertTrue(concrete >= 3, "EMR, Databricks and Kubernetes name the job jar");
    }

    @Test
    void everyConfigurationKeyAndPresetNamedExists() {
        Config defaults = ConfigSources.defaults().resolve();
        Set<String> keys = new TreeSet<>();
        for (Path f : documentedFiles()) {
            String text = DeployTexts.text(f);
            keys.addAll(DeployTexts.matches(SET_KEY, text));
            keys.addAll(DeployTexts.matches(SPARK_KEY, text));
        }
        assertTrue(keys.containsAll(List.of("model.path", "input.path", "output.path", "restore.batch-size")), keys.toString());
        List<String> unknown = keys.stream().filter(k -> !defaults.hasPath(ConfigSources.ROOT + "." + k)).toList();
        assertEquals(List.of(), unknown, "keys named in deploy/, notebooks/ or a README but absent from defaults.conf");
    }

    @Test
    void emrStepRunsTheJobJarWithValidSettings() {
        JsonNode step = DeployTexts.json("deploy/emr/step.json").get(0);
        assertEquals("command-runner.jar", step.get("Jar").asText());
        List<String> args = DeployTexts.strings(step.get("Args"));
        assertEquals("spark-submit", args.get(0));
        assertEquals("io.mambair.job.MambairJob", args.get(args.indexOf("--class") + 1));
        int jar = indexOfJobJar(args);
        JsonNode cluster = DeployTexts.json("deploy/emr/cluster.json");
        JobSettings s = settings(args.subList(jar + 1, args.size()), sparkMambair(classification(cluster, "spark-defaults")));
        assertEquals(2, s.benchmark().cropBorder(), "light_sr_x2 preset");
        assertEquals("s3://YOUR-BUCKET/mambair/models/MambaIR_lightSR_x2.pth", s.model().path());
        String ortJar = args.get(args.indexOf("--jars") + 1);
        assertTrue(ortJar.startsWith("local:///opt/onnxruntime/onnxruntime_gpu-"), "the jar the bootstrap action installs: " + ortJar);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "deploy/databricks/job.json, 18, 2.13, spark4-all",        // the default: 18 LTS, Spark 4.1
        "deploy/databricks/job-16.4-lts.json, 16.4, 2.12, all"     // 16.4 LTS, Spark 3.5
    })
    void databricksJobRunsTheJarBuiltForItsRuntimeOnUnityCatalogWithValidSettings(String file, String release, String scala, String classifier) {
        JsonNode job = DeployTexts.json(file);
        JsonNode cluster = job.get("job_clusters").get(0).get("new_cluster");
        String runtime = cluster.get("spark_version").asText();
        assertTrue(runtime.startsWith(release + (release.contains(".") ? ".x" : ".")), file + ": runtime " + runtime);
        assertTrue(runtime.contains("-gpu-ml-"), file + ": a GPU runtime: " + runtime);
        assertTrue(runtime.endsWith("-scala" + scala), file + ": runtime " + runtime + " for Scala " + scala);
        assertFalse(cluster.get("spark_env_vars").has("JNAME"), "Java 17 is the default from 16.0 on: no JDK override");
        assertEquals("SINGLE_USER", cluster.get("data_security_mode").asText(), "dedicated access: Unity Catalog volumes, GPU ML runtime");
        assertFalse(cluster.get("single_user_name").asText().isBlank());
        JsonNode task = job.get("tasks").get(0);
        assertEquals("io.mambair.job.MambairJob", task.get("spark_jar_task").get("main_class_name").asText());
        JobSettings s = settings(DeployTexts.strings(task.get("spark_jar_task").get("parameters")), sparkMambair(cluster.get("spark_conf")));
        assertEquals("dbfs:/Volumes/main/mambair/out/light_sr_x2/Set5", s.output().path());
        assertEquals(4, s.restore().batchSize(), "spark.mambair.* conf reaches the job");
        List<String> jars = new ArrayList<>();
        task.get("libraries").forEach(l -> jars.add(l.get("jar").asText()));
        assertTrue(jars.stream().anyMatch(j -> j.endsWith("-SNAPSHOT-" + classifier + ".jar")), file + ": the Scala " + scala + " job jar: " + jars);
        assertTrue(jars.contains(cluster.get("spark_env_vars").get("MAMBAIR_ORT_JAR").asText()),
                "the init script unpacks the same ONNX Runtime jar the task loads: " + jars);
        String initScript = cluster.get("init_scripts").get(0).get("volumes").get("destination").asText();
        assertTrue(initScript.startsWith("/Volumes/"), "the init script is read from a Unity Catalog volume: " + initScript);
    }

    @Test
    void databricksBundleDeploysTheJobOfJobJsonAsAJarTask() {
        JsonNode bundle = DeployTexts.yaml("deploy/databricks/databricks.yml");
        JsonNode job = bundle.get("resources").get("jobs").get("mambair_restore");
        JsonNode reference = DeployTexts.json("deploy/databricks/job.json");
        for (String field : List.of("name", "max_concurrent_runs", "job_clusters", "tasks")) {
            assertEquals(reference.get(field), job.get(field), "the bundle's " + field + " is job.json's (checked above)");
        }
        JsonNode task = job.get("tasks").get(0);
        assertTrue(task.has("spark_jar_task"), "a JAR task");
        JobSettings s = settings(DeployTexts.strings(task.get("spark_jar_task").get("parameters")), Map.of());
        assertEquals(JobSettings.TableFormat.DELTA, s.output().tableFormat());
        assertEquals("main.mambair.restore_images", s.output().tableName(), "a Unity Catalog three-level name");
        assertTrue(bundle.get("targets").has("prod") && bundle.get("bundle").has("name"));
    }

    @Test
    void kubernetesApplicationAsksForGpusAndRunsTheJobJarWithValidSettings() {
        JsonNode app = DeployTexts.yaml("deploy/kubernetes/sparkapplication.yaml");
        assertEquals("sparkoperator.k8s.io/v1beta2", app.get("apiVersion").asText());
        assertEquals("SparkApplication", app.get("kind").asText());
        JsonNode spec = app.get("spec");
        assertEquals("io.mambair.job.MambairJob", spec.get("mainClass").asText());
        assertEquals("nvidia.com/gpu", spec.get("executor").get("gpu").get("name").asText());
        assertEquals(1, spec.get("executor").get("gpu").get("quantity").asInt());
        JsonNode conf = spec.get("sparkConf");
        assertEquals("1", conf.get("spark.executor.resource.gpu.amount").asText());
        assertEquals("nvidia.com", conf.get("spark.executor.resource.gpu.vendor").asText());
        double perTask = Double.parseDouble(conf.get("spark.task.resource.gpu.amount").asText());
        assertTrue(spec.get("executor").get("cores").asInt() * perTask >= 1.0, "CPU slots do not cap GPU slots");
        JobSettings s = settings(DeployTexts.strings(spec.get("arguments")), sparkMambair(conf));
        assertEquals(4, s.restore().batchSize());
    }

    @Test
    void emrGpuSchedulingIsConfiguredForYarnAndSpark() {
        JsonNode cluster = DeployTexts.json("deploy/emr/cluster.json");
        JsonNode yarn = classification(cluster, "yarn-site");
        assertEquals("yarn.io/gpu", yarn.get("yarn.resource-types").asText());
        assertEquals("yarn.io/gpu", yarn.get("yarn.nodemanager.resource-plugins").asText());
        assertEquals("org.apache.hadoop.yarn.util.resource.DominantResourceCalculator",
                classification(cluster, "capacity-scheduler").get("yarn.scheduler.capacity.resource-calculator").asText());
        JsonNode spark = classification(cluster, "spark-defaults");
        assertEquals("/opt/mambair/getGpusResources.sh", spark.get("spark.executor.resource.gpu.discoveryScript").asText());
        double perTask = Double.parseDouble(spark.get("spark.task.resource.gpu.amount").asText());
        assertTrue(Integer.parseInt(spark.get("spark.executor.cores").asText()) * perTask >= 1.0, "CPU slots do not cap GPU slots");
        boolean gpuCore = false;
        for (JsonNode g : cluster.get("Instances").get("InstanceGroups")) {
            gpuCore |= g.get("InstanceRole").asText().equals("CORE") && g.get("InstanceType").asText().matches("g[4-6][a-z]*\\..*");
        }
        assertTrue(gpuCore, "core nodes are GPU instances");
        String bootstrap = cluster.get("BootstrapActions").get(0).get("ScriptBootstrapAction").get("Path").asText();
        assertTrue(bootstrap.endsWith("/bootstrap-onnxruntime-gpu.sh"), bootstrap);
    }

    /** Applies job arguments (--preset, --config naming deploy/'s job.conf, --set) and Spark conf like the job does, and validates them. */
    static JobSettings settings(List<String> jobArgs, Map<String, String> sparkConf) {
        ConfigSources sources = ConfigSources.defaults();
        List<String> sets = new ArrayList<>();
        String preset = null;
        String config = null;
        for (Iterator<String> it = jobArgs.iterator(); it.hasNext(); ) {
            String a = it.next();
            switch (a) {
                case "--preset" -> preset = it.next();
                case "--config" -> config = it.next();
                case "--set" -> sets.add(it.next());
                default -> fail("unexpected job argument " + a + " in " + jobArgs);
            }
        }
        if (preset != null) sources.preset(preset);
        if (config != null) {
            assertTrue(config.endsWith("/job.conf"), "--config names deploy/job.conf once uploaded: " + config);
            Path file = RepositoryFiles.resolve("deploy/job.conf");
            sources.file(DeployTexts.text(file), file.toString());
        }
        Config c = sources.sparkConf(sparkConf).overrides(sets).resolve();
        JobSettings s = SettingsReader.read(c, ConfigSources.defaults().resolve());
        for (String set : sets) {
            String key = set.substring(0, set.indexOf('='));
            String value = set.substring(set.indexOf('=') + 1).replaceAll("^\"(.*)\"$", "$1");
            assertEquals(value, c.getValue(ConfigSources.ROOT + "." + key).unwrapped().toString(), "--set " + set + " survives HOCON parsing");
        }
        return s;
    }

    private static Map<String, String> sparkMambair(JsonNode conf) {
        Map<String, String> out = new HashMap<>();
        conf.fields().forEachRemaining(e -> { if (e.getKey().startsWith("spark.mambair.")) out.put(e.getKey(), e.getValue().asText()); });
        assertFalse(out.isEmpty(), "a spark.mambair.* setting is shown");
        return out;
    }

    static JsonNode classification(JsonNode cluster, String name) {
        for (JsonNode c : cluster.get("Configurations")) if (c.get("Classification").asText().equals(name)) return c.get("Properties");
        throw new AssertionError("no " + name + " classification");
    }

    private static int indexOfJobJar(List<String> args) {
        for (int i = 0; i < args.size(); i++) if (args.get(i).matches(".*/mambair-job-[^/]*-all\\.jar")) return i;
        throw new AssertionError("no job jar in " + args);
    }

    /** deploy/, notebooks/ and the two READMEs: everything users copy names from. */
    private static List<Path> documentedFiles() {
        List<Path> files = new ArrayList<>(RepositoryFiles.filesUnder("deploy"));
        files.addAll(RepositoryFiles.filesUnder("notebooks"));
        files.add(RepositoryFiles.resolve("README.md"));
        return files;
    }

    private static String xpath(String pom, String expression) throws Exception {
        String v = evaluate(pom, expression);
        assertFalse(v.isEmpty(), pom + " " + expression);
        return v;
    }

    private static String evaluate(String pom, String expression) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(RepositoryFiles.resolve(pom).toFile());
        return XPathFactory.newInstance().newXPath().evaluate(expression, doc).trim();
    }
}
