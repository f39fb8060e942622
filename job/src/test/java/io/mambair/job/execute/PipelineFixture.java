package io.mambair.job.execute;

import io.mambair.job.JobConfiguration;
import io.mambair.job.JobTestSupport;
import io.mambair.job.config.JobSettings;
import io.mambair.job.input.WorkItem;
import io.mambair.job.memory.MemoryBudget;
import io.mambair.job.output.ImageRow;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.Restorer;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageEncoder;
import org.apache.hadoop.conf.Configuration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/** A task pipeline outside Spark: settings from job options, a fixture model, images in a folder. */
final class PipelineFixture {
    final Path in;
    final Path out;
    final RunContext ctx;

    PipelineFixture(Path dir, int scale, String... overrides) throws Exception {
        this(dir, JobTestSupport.srModel(scale), overrides);
    }

    /** A fixture over the checkpoint {@code model}. */
    PipelineFixture(Path dir, Path model, String... overrides) throws Exception {
        in = Files.createDirectories(dir.resolve("in"));
        out = dir.resolve("out");
        List<String> o = new ArrayList<>(List.of("model.path=\"" + model + "\"", "input.path=\"" + in + "\"",
                "output.path=\"" + out + "\"", "restore.device=cpu"));
        o.addAll(List.of(overrides));
        JobSettings s = JobConfiguration.load(JobTestSupport.options(o.toArray(String[]::new)), Map.of(), new Configuration()).settings();
        ctx = new RunContext(s, ResolvedModel.resolve(model), "test", "test", "sr", dir.resolve("rows").toString(),
                new Configuration());
    }

    /** Writes a random RGB PNG and returns its work item (size from the file, output under out/). */
    WorkItem image(String name, int w, int h, long seed) throws Exception {
        Random r = new Random(seed);
        float[] d = new float[3 * w * h];
        for (int i = 0; i < d.length; i++) d[i] = r.nextInt(256) / 255f;
        Files.write(in.resolve(name), ImageEncoder.encode(DecodedImage.of(new PlanarImage(3, h, w, d), 8, "png"), "png", 95));
        return item(name, w, h, null);
    }

    WorkItem item(String name, int w, int h, String reference) {
        String outUri = out.resolve(name.replaceAll("\\.\\w+$", ".png")).toUri().toString();
        return new WorkItem(name, in.resolve(name).toUri().toString(), reference, false, outUri, w, h, 3, 8,
                (long) w * h * ctx.model().scale() * ctx.model().scale(), false, null, null);
    }

    /** The pipeline of this run's settings over {@code restorers}, with the budget of the settings. */
    TaskPipeline pipeline(Supplier<Restorer> restorers, int depth) {
        return pipeline(restorers, depth, ctx.settings().restore().maxPixelsInFlight());
    }

    TaskPipeline pipeline(Supplier<Restorer> restorers, int depth, long budget) {
        return pipeline(restorers, depth, budget, MemoryBudget.of(ctx.settings().restore().memoryBudget().bytes(Runtime.getRuntime().maxMemory())));
    }

    /** The pipeline with pixel budget {@code budget} and the images' heap bounded by {@code memory}. */
    TaskPipeline pipeline(Supplier<Restorer> restorers, int depth, long budget, MemoryBudget memory) {
        ModelStage model = new ModelStage(restorers, ctx.settings().restore().options(), PixelBudget.of(budget),
                ctx.model().config().sizeMultiple());
        return TaskPipeline.forRun(ctx, model, memory, null, "test", depth, () -> { });
    }

    /** Runs the pipeline and returns its rows by image id. */
    static Map<String, ImageRow> run(TaskPipeline p, List<WorkItem> items) throws Exception {
        Map<String, ImageRow> rows = new java.util.LinkedHashMap<>();
        p.run(items, row -> {
            if (rows.put(row.image_id(), row) != null) throw new AssertionError("two rows for " + row.image_id());
        });
        return rows;
    }
}
