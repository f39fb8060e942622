package io.mambair.job.bench;

import io.mambair.job.JobConfiguration;
import io.mambair.job.JobOptions;
import io.mambair.job.execute.ImageReader;
import io.mambair.job.execute.LoadedImage;
import io.mambair.job.execute.ModelStage;
import io.mambair.job.execute.PixelBudget;
import io.mambair.job.execute.RunContext;
import io.mambair.job.execute.TaskPipeline;
import io.mambair.job.config.JobSettings;
import io.mambair.job.input.WorkItem;
import io.mambair.job.output.ImageRow;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.Restorer;
import io.mambair.runtime.restore.TiledRestorer;
import io.mambair.udfs.codec.ImageDecoder;
import io.mambair.udfs.codec.ImageInfo;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Throughput of the job's per-task pipeline (read + decode, restore, encode + write, one row per
 * image: exactly what a Spark task runs) against the bare runtime on the same images, sequential
 * (depth 0) and overlapped (depth 2), with the model either the real CPU model or a
 * {@link SimulatedAccelerator}. Prints MP/s, wall and process CPU time, and the model-busy fraction.
 *
 * Run with {@code bin/mambair bench pipeline MODEL IMAGE_DIR OUT_DIR [--simulate MS] ...}.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The job's per-task pipeline, sequential and overlapped, against the bare runtime (real or simulated model).")
public final class PipelineThroughputBenchmark implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Checkpoint (.pth, .safetensors, .onnx).")
    Path modelPath;

    @Parameters(index = "1", paramLabel = "IMAGE_DIR", description = "Folder of JPEG/PNG photos.")
    Path images;

    @Parameters(index = "2", paramLabel = "OUT_DIR", description = "Folder for the restored images and rows.")
    Path out;

    @Option(names = "--simulate", defaultValue = "-1", paramLabel = "MS",
            description = "Simulated accelerator holding each batch MS milliseconds without using the CPU; -1 = the real model (default: ${DEFAULT-VALUE}).")
    long latency;

    @Option(names = "--images", split = ",", paramLabel = "N1,N2", description = "File names to use (default: every JPEG/PNG of IMAGE_DIR).")
    List<String> names;

    @Option(names = "--tile", defaultValue = "256", description = "Blend tile (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--overlap", defaultValue = "16", description = "Blend overlap (default: ${DEFAULT-VALUE}).")
    int overlap;

    @Option(names = "--batch", defaultValue = "4", description = "Tiles per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--rounds", defaultValue = "2", description = "Measured rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws Exception {
        if (names == null) {
            try (var s = Files.list(images)) {
                names = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("(?i).*\\.(jpg|jpeg|png)")).sorted().toList();
            }
        }
        ResolvedModel model = ResolvedModel.resolve(modelPath);
        int scale = model.scale();
        JobSettings settings = JobConfiguration.load(new JobOptions(null, null, new ArrayList<>(List.of(
                "model.path=\"" + modelPath + "\"", "input.path=\"" + images + "\"", "output.path=\"" + out + "\"", "output.format=jpg",
                "restore.tile-mode=blend", "restore.tile=" + tile, "restore.overlap=" + overlap, "restore.batch-size=" + batch,
                "restore.device=cpu", "restore.max-pixels-in-flight=" + Math.max(16_777_216L, (long) batch * tile * tile)))),
                Map.of(), new Configuration()).settings();
        RunContext ctx = new RunContext(settings, model, "bench", "bench", "bench", out.resolve("rows").toString(), new Configuration());
        Restorer restorer = latency >= 0
                ? new TiledRestorer(new SimulatedAccelerator(latency, scale), model.config(), "simulated(" + latency + " ms/batch)", "standard")
                : SharedRuntime.get(model, Device.cpu());
        List<WorkItem> items = new ArrayList<>();
        long outPixels = 0;
        for (String n : names) {
            Path p = images.resolve(n);
            ImageInfo info = ImageDecoder.info(Files.readAllBytes(p), n);
            items.add(new WorkItem(n, p.toUri().toString(), null, false, out.resolve(n.replaceAll("\\.\\w+$", ".jpg")).toUri().toString(),
                    info.width(), info.height(), 3, 8, (long) info.width() * info.height() * scale * scale, false, null, null));
            outPixels += (long) info.width() * info.height() * scale * scale;
        }
        System.out.printf("model %s (%s), %d images, %.1f MP out, blend tile %d overlap %d batch %d, %d cores, load %.2f%n",
                model.name(), restorer.device(), items.size(), outPixels / 1e6, tile, overlap, batch,
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Files.createDirectories(out);
        PixelBudget budget = PixelBudget.of(settings.restore().maxPixelsInFlight());
        Supplier<ModelStage> stage = () -> new ModelStage(() -> restorer, settings.restore().options(), budget, model.config().sizeMultiple());
        bare(ctx, restorer, stage.get(), items.subList(0, 1), outPixels, true);
        for (int r = 1; r <= rounds; r++) {
            bare(ctx, restorer, stage.get(), items, outPixels, false);
            for (int depth : new int[] {0, TaskPipeline.DEFAULT_DEPTH}) {
                ModelStage m = stage.get();
                long cpu0 = cpu();
                long[] ok = new long[1];
                TaskPipeline.Stats st = TaskPipeline.forRun(ctx, m, io.mambair.job.memory.MemoryBudget.of(settings.restore().memoryBudget().bytes(Runtime.getRuntime().maxMemory())), null, "bench", depth, () -> { }).run(items, row -> {
                    if (!ImageRow.OK.equals(row.status())) throw new IllegalStateException(row.image_id() + ": " + row.error_message());
                    ok[0]++;
                });
                report("job " + (depth == 0 ? "sequential " : "overlapped ") + r, outPixels, st.wallNanos(), cpu() - cpu0, st.modelBusyFraction());
            }
        }
        return 0;
    }

    /** The runtime alone: each image decoded beforehand, then only restored (the model's own throughput). */
    private static void bare(RunContext ctx, Restorer restorer, ModelStage m, List<WorkItem> items, long outPixels, boolean warmUp) throws Exception {
        ImageReader reader = new ImageReader(ctx.settings(), ctx.model().scale(), ctx.model().config().inChans(), ctx.conf());
        long wall = 0, cpu = 0;
        for (WorkItem item : items) {
            LoadedImage img = reader.read(item);
            long c0 = cpu(), t0 = System.nanoTime();
            m.restore(List.of(img));
            wall += System.nanoTime() - t0;
            cpu += cpu() - c0;
        }
        if (!warmUp) report("bare runtime", outPixels, wall, cpu, 1.0);
    }

    private static void report(String what, long outPixels, long wallNanos, long cpuNanos, double busy) {
        System.out.printf("%-24s %8.4f MP/s  wall %7.2f s  cpu %7.2f s  model busy %5.1f%%%n", what, outPixels / 1e6 / (wallNanos / 1e9),
                wallNanos / 1e9, cpuNanos / 1e9, busy * 100);
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
