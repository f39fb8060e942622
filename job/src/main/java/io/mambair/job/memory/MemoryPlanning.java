package io.mambair.job.memory;

import io.mambair.job.input.WorkItem;
import org.apache.spark.SparkConf;
import org.apache.spark.network.util.JavaUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The driver's side of the memory budget: the executors' maximum heap as the Spark conf sets it, and
 * the images whose predicted footprint exceeds a whole executor's budget, turned into error rows at
 * planning (they are never decoded).
 */
public final class MemoryPlanning {
    /** The error class of an image too large for the memory budget (at planning, or on an executor with a smaller heap). */
    public static final String ERROR_CLASS = "ResourceLimitException";

    private MemoryPlanning() {}

    /** The maximum heap of one executor: this JVM's in local mode, else {@code spark.executor.memory} (Spark's default 1g). */
    public static long executorHeap(SparkConf conf) {
        if (conf.get("spark.master", "local").startsWith("local") && !conf.get("spark.master", "local").startsWith("local-cluster")) {
            return Runtime.getRuntime().maxMemory();
        }
        return JavaUtils.byteStringAsBytes(conf.get("spark.executor.memory", "1g"));
    }

    /** {@code items} with each image whose footprint exceeds the budget marked as an error (needed vs budget). */
    public static List<WorkItem> refuseTooLarge(List<WorkItem> items, ImageFootprint footprint, BudgetSize size, long executorHeap) {
        long budget = size.bytes(executorHeap);
        List<WorkItem> out = new ArrayList<>(items.size());
        for (WorkItem item : items) {
            long needed = item.hasProblem() || item.previouslyDone() ? 0 : footprint.bytes(item);
            out.add(needed > budget ? item.withProblem(ERROR_CLASS, message(item, needed, size.describe(executorHeap))) : item);
        }
        return out;
    }

    /** The one-line reason of an image that needs more than the budget. */
    public static String message(WorkItem item, long needed, String budget) {
        return String.format(Locale.ROOT, "%s (%dx%d) needs %d MiB of heap from decode to write, more than restore.memory-budget = %s; "
                        + "give executors a larger heap or budget, or lower input.max-pixels", item.imageId(), item.width(), item.height(),
                needed >> 20, budget);
    }
}
