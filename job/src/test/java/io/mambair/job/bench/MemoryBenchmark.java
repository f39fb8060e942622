package io.mambair.job.bench;

import io.mambair.job.JobOptions;
import io.mambair.job.MambairJob;
import io.mambair.job.RunSummary;
import io.mambair.job.memory.BudgetSize;
import io.mambair.job.memory.MemoryBudget;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The job on whole photos with the heap the JVM was given ({@code MAMBAIR_JAVA_OPTS=-Xmx3g}): the rows'
 * statuses, wall and CPU time, the most budget reserved at once, and the peak resident memory of the
 * process (VmHWM: heap, ONNX Runtime's native arena, everything). Exit 1 unless every image is ok.
 */
@Command(name = "memory", mixinStandardHelpOptions = true, description = "Whole photos in a bounded heap: rows, peak resident memory.")
public final class MemoryBenchmark implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--model", required = true) Path model;
    @Option(names = "--photos", required = true, description = "Folder of the photos.") Path photos;
    @Option(names = "--names", split = ",", defaultValue = "mate_Blinds.jpg,mate_RainDrops.jpg,mate_Storm.jpg,mate_Dune.jpg") List<String> names;
    @Option(names = "--master", defaultValue = "local[4]") String master;
    @Option(names = "--partitions", defaultValue = "4") int partitions;
    @Option(names = "--tile-mode", defaultValue = "blend") String tileMode;
    @Option(names = "--format", defaultValue = "png") String format;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("mambair-memory");
        Path in = Files.createDirectories(work.resolve("in"));
        for (String n : names) Files.createSymbolicLink(in.resolve(n), photos.resolve(n).toAbsolutePath());
        SparkSession spark = SparkSession.builder().master(master).appName("mambair-bench-memory").config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            List<String> set = new ArrayList<>(List.of("model.path=\"" + model.toAbsolutePath() + "\"", "input.path=\"" + in + "\"",
                    "output.path=\"" + work.resolve("out") + "\"", "restore.tile-mode=" + tileMode, "restore.device=cpu",
                    "partitions=" + partitions, "output.format=" + format));
            long cpu0 = cpuNanos();
            RunSummary run = MambairJob.run(spark, new JobOptions(null, null, set));
            long budget = BudgetSize.parse("60%").bytes(Runtime.getRuntime().maxMemory());
            System.out.printf("images %d: ok %d, error %d; wall %.1f s, process CPU %.1f s; heap max %d MiB, budget peak %d of %d MiB, "
                            + "peak resident %d MiB (master %s, %d partitions, tile-mode %s, %s)%n",
                    names.size(), run.counts().ok(), run.counts().error(), run.wallSeconds(), (cpuNanos() - cpu0) / 1e9,
                    Runtime.getRuntime().maxMemory() >> 20, MemoryBudget.of(budget).peak() >> 20, budget >> 20, peakResidentKib() >> 10,
                    master, partitions, tileMode, format);
            if (run.counts().ok() != names.size()) System.out.println(run.text());
            return run.counts().ok() == names.size() ? 0 : 1;
        } finally {
            spark.stop();
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** VmHWM of this process in KiB. */
    private static long peakResidentKib() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }
}
