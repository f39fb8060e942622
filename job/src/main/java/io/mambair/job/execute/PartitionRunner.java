package io.mambair.job.execute;

import io.mambair.job.config.JobSettings;
import io.mambair.job.input.WorkItem;
import io.mambair.job.output.AtomicFiles;
import io.mambair.job.output.ImageRow;
import io.mambair.job.output.RowStore;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.restore.Restorer;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * The per-partition work of the restore stage: each partition holds one cost-balanced group of
 * items. Finished images of an earlier run are skipped; every other item is processed and its row
 * recorded durably before the next starts. Returns one {@link TaskReport} per partition.
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
        String gpu = DeviceChooser.assignedGpu();
        String executorId = SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId();
        RowStore rows = new RowStore(ctx.rowStoreFolder());
        boolean skipExisting = ctx.settings().output().mode() == JobSettings.WriteMode.SKIP_EXISTING;
        ImageProcessor processor = null;
        String device = null;
        long ok = 0, error = 0, skipped = 0, pixels = 0;
        while (groups.hasNext()) {
            for (WorkItem item : groups.next()) {
                if (skipExisting && item.previouslyDone()
                        && (item.outputUri() == null || AtomicFiles.exists(item.outputUri(), ctx.conf()))) {
                    skipped++;
                    imagesDone.add(1);
                    continue;
                }
                if (processor == null && !item.hasProblem()) {
                    Restorer restorer = SharedRuntime.get(ctx.model(), DeviceChooser.choose(ctx.settings().restore().device(), gpu).withCuda(ctx.settings().restore().cuda()));
                    device = restorer.device();
                    processor = new ImageProcessor(ctx, restorer, gpu, executorId);
                }
                ImageRow row = (processor != null ? processor : new ImageProcessor(ctx, null, gpu, executorId)).process(item);
                rows.put(row, ctx.conf());
                if (ImageRow.OK.equals(row.status)) {
                    ok++;
                    long px = (long) row.out_width * row.out_height;
                    pixels += px;
                    pixelsDone.add(px);
                } else {
                    error++;
                }
                imagesDone.add(1);
            }
        }
        int partition = TaskContext.get() == null ? -1 : TaskContext.get().partitionId();
        return List.of(new TaskReport(partition, executorId, gpu, device, SharedRuntime.sessionsBuilt(), ok, error, skipped, pixels,
                PixelBudget.of(ctx.settings().restore().maxPixelsInFlight()).peak())).iterator();
    }
}
