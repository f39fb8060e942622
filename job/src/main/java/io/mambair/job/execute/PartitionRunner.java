package io.mambair.job.execute;

import io.mambair.udfs.device.TaskDevice;
import io.mambair.job.config.JobSettings;
import io.mambair.job.input.WorkItem;
import io.mambair.job.memory.MemoryBudget;
import io.mambair.job.output.AtomicFiles;
import io.mambair.job.output.ImageRow;
import io.mambair.job.output.RowStore;
import io.mambair.runtime.engine.SharedRuntime;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The per-partition work of the restore stage: each partition holds one cost-balanced group of
 * items. Finished images of an earlier run are skipped; the others go through the task's
 * {@link TaskPipeline}, each row recorded in the row files of this task attempt. Returns one
 * {@link TaskReport} per partition.
 */
public final class PartitionRunner implements FlatMapFunction<Iterator<List<WorkItem>>, TaskReport> {
    private final Broadcast<RunContext> context;
    private final LongAccumulator imagesDone;
    private final LongAccumulator pixelsDone;

    public PartitionRunner(Broadcast<RunContext> context, LongAccumulator imagesDone, LongAccumulator pixelsDone) {
        this.context = context;
        this.imagesDone = imagesDone;
        this.pixelsDone = pixelsDone;
    }

    @Override
    public Iterator<TaskReport> call(Iterator<List<WorkItem>> groups) throws IOException {
        RunContext ctx = context.value();
        JobSettings s = ctx.settings();
        String gpu = TaskDevice.assignedGpu();
        String executorId = SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId();
        boolean skipExisting = s.output().mode() == JobSettings.WriteMode.SKIP_EXISTING;
        List<WorkItem> todo = new ArrayList<>();
        long skipped = 0;
        while (groups.hasNext()) {
            for (WorkItem item : groups.next()) {
                if (skipExisting && item.previouslyDone()
                        && (item.outputUri() == null || AtomicFiles.exists(item.outputUri(), ctx.conf()))) {
                    skipped++;
                    imagesDone.add(1);
                } else {
                    todo.add(item);
                }
            }
        }
        PixelBudget budget = PixelBudget.of(s.restore().maxPixelsInFlight());
        ModelStage model = new ModelStage(() -> SharedRuntime.get(ctx.model(), s.restore().scan(),
                        TaskDevice.choose(s.restore().device(), gpu, s.restore().requireAssignedGpu()).withCuda(s.restore().cuda()))
                        .withTileProgress(pixelsDone::add),
                s.restore().options(), budget, ctx.model().config().sizeMultiple());
        TaskContext task = TaskContext.get();
        // the pipeline's threads work for this task: Spark's thread-local task context goes with them
        MemoryBudget memory = MemoryBudget.of(s.restore().memoryBudget().bytes(Runtime.getRuntime().maxMemory()));
        TaskPipeline pipeline = TaskPipeline.forRun(ctx, model, memory, gpu, executorId, TaskPipeline.DEFAULT_DEPTH,
                () -> org.apache.spark.TaskContext$.MODULE$.setTaskContext(task));
        int partition = task == null ? -1 : task.partitionId();
        long attempt = task == null ? -1 : task.taskAttemptId();
        long[] counts = new long[3]; // ok, error, output pixels
        try (RowStore.Attempt rows = new RowStore(ctx.rowStoreFolder()).open(ctx.runId(), partition, attempt, ctx.conf())) {
            pipeline.run(todo, row -> {
                rows.add(row);
                if (ImageRow.OK.equals(row.status())) {
                    counts[0]++;
                    counts[2] += (long) row.out_width() * row.out_height();
                } else {
                    counts[1]++;
                }
                imagesDone.add(1);
            });
        }
        return List.of(new TaskReport(partition, executorId, gpu, model.device(), SharedRuntime.sessionsBuilt(), counts[0], counts[1], skipped,
                counts[2], budget.peak(), attempt)).iterator();
    }
}
