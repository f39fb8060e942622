package io.mambair.job.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.job.RunSummary;
import io.mambair.job.output.AtomicFiles;
import io.mambair.job.output.ImageRow;
import io.mambair.job.output.ImagesTable;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.testing.Slow;
import io.mambair.runtime.testing.TestRequirements;
import io.mambair.udfs.codec.ImageDecoder;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.scheduler.TaskInfo;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Speculative execution on a real Spark standalone cluster: a master and two workers started as child
 * JVMs on two loopback addresses (127.0.0.2, 127.0.0.3), because Spark never launches a speculative copy
 * on the host that already runs the task and local / local-cluster executors share one host. Two
 * partitions of 20 images (img00, img02, ... and img01, img03, ...); the second is made a straggler: its
 * first read of its last image takes a minute, after it wrote a full batch of 16 rows (RowStore's batch
 * size) to its own row file. Spark
 * launches a speculative copy on the other host, which wins, and kills the straggler. The images table
 * holds exactly one row per image (the straggler's rows left out), the counts reconcile, and every
 * output is whole and equal to a run without speculation.
 */
@Slow
class SpeculativeExecutionJobTest {
    private static final int IMAGES = 40;
    private static final String SLOW_IMAGE = "img39.png";
    private static final List<String> WORKER_HOSTS = List.of("127.0.0.2", "127.0.0.3");
    private static final String CLASSPATH = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    private static final List<String> JVM_ARGS = Arrays.stream(System.getProperty("mambair.test.jvm.args", "").split("\\s+"))
            .filter(s -> !s.isBlank()).toList();

    /** Task starts of the restore stage as the driver's scheduler saw them. */
    private static final class RestoreTasks extends SparkListener {
        final Set<Integer> restoreStages = ConcurrentHashMap.newKeySet();
        final List<TaskInfo> started = new CopyOnWriteArrayList<>();
        final Map<Long, Integer> stageOfTask = new ConcurrentHashMap<>();

        @Override
        public void onJobStart(SparkListenerJobStart job) {
            String description = job.properties() == null ? null : job.properties().getProperty("spark.job.description");
            if (description != null && description.contains(": restore ")) {
                for (Object id : scala.collection.JavaConverters.seqAsJavaList(job.stageIds())) restoreStages.add((Integer) id);
            }
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart task) {
            stageOfTask.put(task.taskInfo().taskId(), task.stageId());
            started.add(task.taskInfo());
        }

        List<TaskInfo> restoreStarts() {
            return started.stream().filter(t -> restoreStages.contains(stageOfTask.get(t.taskId()))).toList();
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aSpeculativeCopyOfASlowTaskLeavesExactlyOneRowPerImageAndWholeOutputs(@TempDir Path in, @TempDir Path out, @TempDir Path rerun,
            @TempDir Path markers, @TempDir Path cluster) throws Exception {
        String sparkHome = System.getenv("SPARK_HOME");
        TestRequirements.require(sparkHome != null && System.getenv("SPARK_SCALA_VERSION") != null, "SPARK_HOME/SPARK_SCALA_VERSION not set (run through Maven)");
        Files.createDirectories(Path.of(sparkHome, "jars"));
        for (int i = 0; i < IMAGES; i++) Files.write(in.resolve(name(i)), TestImages.encode(TestImages.rgb(24, 24, i), "png"));

        int masterPort = freePort();
        List<Process> daemons = new ArrayList<>();
        RunSummary run;
        RestoreTasks tasks = new RestoreTasks();
        try {
            daemons.add(daemon(cluster, "master", "127.0.0.1", "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", "0"));
            awaitListening(masterPort, daemons.get(0), cluster.resolve("master.log"));
            for (String host : WORKER_HOSTS) {
                Path work = Files.createDirectories(cluster.resolve("work-" + host));
                daemons.add(daemon(cluster, "worker-" + host, host, "org.apache.spark.deploy.worker.Worker", "--host", host, "--webui-port", "0",
                        "--cores", "1", "--memory", "1g", "--work-dir", work.toString(), "spark://127.0.0.1:" + masterPort));
            }
            SparkSession spark = SparkSession.builder().master("spark://127.0.0.1:" + masterPort).appName("mambair-speculation")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.executor.cores", "1")
                    .config("spark.cores.max", "2")
                    .config("spark.executor.memory", "768m")
                    .config("spark.executor.extraClassPath", CLASSPATH)
                    .config("spark.executor.extraJavaOptions", String.join(" ", JVM_ARGS))
                    .config("spark.speculation", "true")
                    .config("spark.speculation.interval", "200ms")
                    .config("spark.speculation.quantile", "0.5")
                    .config("spark.speculation.multiplier", "2")
                    .config("spark.speculation.minTaskRuntime", "3s")
                    // judge stragglers by run time alone (the restore tasks report no input records)
                    .config("spark.speculation.efficiency.enabled", "false")
                    .getOrCreate();
            try {
                spark.sparkContext().addSparkListener(tasks);
                Set<String> hosts = awaitExecutorHosts(spark, cluster);
                assertEquals(Set.copyOf(WORKER_HOSTS), hosts, "one executor on each worker host");

                List<String> o = new ArrayList<>(List.of("model.path=\"" + JobTestSupport.srModel(4) + "\"", "output.path=\"" + out + "\"",
                        "input.path=\"" + FaultInjectingFileSystem.uri(in) + "\"", "restore.tile-mode=whole", "restore.device=cpu",
                        "partitions=2", "run-id=speculated", "hadoop.\"faulty.on-restore-read\"=" + SLOW_IMAGE, "hadoop.\"faulty.action\"=slow",
                        "hadoop.\"faulty.marker-dir\"=\"" + markers + "\""));
                FaultInjectingFileSystem.registration().forEach((k, v) -> o.add("hadoop.\"" + k + "\"=\"" + v + "\""));
                run = MambairJob.run(spark, JobTestSupport.options(o.toArray(String[]::new)));
                assertTrue(Files.exists(markers.resolve("fired")), "the first attempt to read " + SLOW_IMAGE + " was slowed");
                assertEquals(IMAGES, run.counts().ok(), run.text());
                assertEquals(0, run.counts().error(), run.text());

                // Spark really ran a speculative copy, on the other host than the straggler it copies.
                List<TaskInfo> starts = tasks.restoreStarts();
                List<TaskInfo> speculative = starts.stream().filter(TaskInfo::speculative).toList();
                assertFalse(speculative.isEmpty(), "a speculative attempt of the restore stage was launched: " + describe(starts));
                for (TaskInfo copy : speculative) {
                    TaskInfo original = starts.stream().filter(t -> t.index() == copy.index() && !t.speculative()).findFirst().orElseThrow();
                    assertNotEquals(original.host(), copy.host(), "the copy ran on another host: " + describe(starts));
                }

                // The speculative copy recorded the slow image; the killed straggler recorded the 16 images it
                // had finished before stalling, so those images have rows from two attempts on disk.
                Map<String, List<Long>> attemptsByImage = rowAttempts(out.resolve("_mambair/rows/speculated"));
                Set<Long> speculativeIds = speculative.stream().map(TaskInfo::taskId).collect(Collectors.toSet());
                String evidence = attemptsByImage + ", task starts " + describe(starts);
                assertTrue(attemptsByImage.get(SLOW_IMAGE).stream().anyMatch(speculativeIds::contains), "the copy recorded " + SLOW_IMAGE + ": " + evidence);
                assertTrue(attemptsByImage.values().stream().filter(attempts -> attempts.size() == 2).count() >= 16, "the straggler's rows are on disk too: " + evidence);

                List<Row> table = ImagesTable.read(spark, run.imagesTable()).collectAsList();
                assertEquals(IMAGES, table.size(), "one row per image: " + table);
                assertEquals(IMAGES, table.stream().map(r -> r.<String>getAs("image_id")).distinct().count(), "no image has two rows");
                for (Row r : table) assertEquals(ImageRow.OK, r.getAs("status"), r.toString());
                // the images both attempts recorded hold the row of the attempt Spark accepted (the copy)
                Set<String> copyExecutors = speculative.stream().map(TaskInfo::executorId).collect(Collectors.toSet());
                for (Row r : table) {
                    if (attemptsByImage.get(r.<String>getAs("image_id")).size() == 2) {
                        assertTrue(copyExecutors.contains(r.<String>getAs("executor_id")), "row of the copy: " + r + ", " + evidence);
                    }
                }
                Row summary = spark.read().parquet(run.summaryTable()).first();
                assertEquals(List.of((long) IMAGES, (long) IMAGES, 0L), List.of(((Number) summary.getAs("images_in_table")).longValue(),
                        ((Number) summary.getAs("ok")).longValue(), ((Number) summary.getAs("error")).longValue()), summary.toString());
            } finally {
                spark.stop();
            }
        } finally {
            stop(daemons);
        }

        // The same corpus without speculation (local[2], plain file: input): every output equal, pixel for pixel.
        SparkSession local = JobTestSupport.localSpark();
        try {
            MambairJob.run(local, JobTestSupport.options("model.path=\"" + JobTestSupport.srModel(4) + "\"", "output.path=\"" + rerun + "\"",
                    "input.path=\"" + in + "\"", "restore.tile-mode=whole", "restore.device=cpu", "partitions=4", "run-id=reference"));
        } finally {
            local.stop();
        }
        for (int i = 0; i < IMAGES; i++) {
            String name = name(i);
            PlanarImage got = ImageDecoder.decode(Files.readAllBytes(out.resolve(name)), name, Long.MAX_VALUE).color();
            PlanarImage want = ImageDecoder.decode(Files.readAllBytes(rerun.resolve(name)), name, Long.MAX_VALUE).color();
            assertEquals(List.of(3, 96, 96), List.of(got.channels(), got.height(), got.width()), "whole output " + name);
            assertArrayEquals(want.data(), got.data(), "output " + name + " equals the run without speculation");
        }
        try (Stream<Path> all = Files.walk(out)) {
            assertEquals(List.of(), all.filter(p -> AtomicFiles.isTemporary(p.getFileName().toString())).toList(), "no temporary files left");
        }
    }

    private static String name(int i) {
        return String.format("img%02d.png", i);
    }

    /** image id -> the task attempt ids whose row files hold a row of it. */
    private static Map<String, List<Long>> rowAttempts(Path rows) throws IOException {
        Map<String, List<Long>> byImage = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(rows)) {
            for (Path p : files.toList()) {
                long attempt = Long.parseLong(p.getFileName().toString().replaceAll("^part-\\d+-attempt-(\\d+)-\\d+\\.jsonl$", "$1"));
                for (String line : Files.readAllLines(p)) {
                    byImage.computeIfAbsent(json.readTree(line).get("image_id").asText(), k -> new ArrayList<>()).add(attempt);
                }
            }
        }
        return byImage;
    }

    private static String describe(List<TaskInfo> starts) {
        return starts.stream().map(t -> "task " + t.taskId() + " partition " + t.index() + " attempt " + t.attemptNumber() + " on " + t.host()
                + (t.speculative() ? " (speculative)" : "")).collect(Collectors.joining("; ", "[", "]"));
    }

    /** A standalone daemon in its own JVM, bound to {@code host} (its web UI too), output in {@code dir/name.log}. */
    private static Process daemon(Path dir, String name, String host, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(JVM_ARGS);
        command.addAll(List.of("-cp", CLASSPATH, mainClass));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", host);
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process master, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertTrue(master.isAlive(), "master exited: " + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "master not listening after 60 s: " + Files.readString(log));
                Thread.sleep(200);
            }
        }
    }

    /** The hosts of the executors once both have registered with the driver. */
    private static Set<String> awaitExecutorHosts(SparkSession spark, Path logs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            Set<String> hosts = Arrays.stream(spark.sparkContext().statusTracker().getExecutorInfos())
                    .map(SparkExecutorInfo::host).filter(h -> !h.equals(spark.sparkContext().getConf().get("spark.driver.host")))
                    .collect(Collectors.toSet());
            if (hosts.size() == WORKER_HOSTS.size()) return hosts;
            if (System.nanoTime() > deadline) {
                StringBuilder all = new StringBuilder();
                try (Stream<Path> files = Files.walk(logs)) {
                    for (Path p : files.filter(Files::isRegularFile).toList()) all.append("== ").append(p).append('\n').append(Files.readString(p));
                }
                throw new AssertionError("executors registered on " + hosts + " after 120 s\n" + all);
            }
            Thread.sleep(200);
        }
    }

    /** Ends the daemons this test started and the executor JVMs they launched. */
    private static void stop(List<Process> daemons) throws InterruptedException {
        for (Process p : daemons) {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
