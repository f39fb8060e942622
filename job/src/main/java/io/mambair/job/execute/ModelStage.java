package io.mambair.job.execute;

import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.Restorer;
import io.mambair.runtime.restore.TileBatches;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The restore stage: a group of images restored in one {@link Restorer#restoreAll} call (their tiles
 * share model batches), holding the executor's {@link PixelBudget} for the largest batch that call
 * runs, as {@link TileBatches} predicts it from the real plan (batch x tile, self-ensemble, whole images).
 */
public final class ModelStage {
    private final Supplier<Restorer> restorers;
    private final RestoreOptions options;
    private final PixelBudget budget;
    private final int sizeMultiple;
    private Restorer restorer;
    private long busyNanos;

    /** {@code restorers} is asked once, when the first image is restored (a session is built only when needed). */
    public ModelStage(Supplier<Restorer> restorers, RestoreOptions options, PixelBudget budget, int sizeMultiple) {
        this.restorers = restorers;
        this.options = options;
        this.budget = budget;
        this.sizeMultiple = sizeMultiple;
    }

    /** Input pixels of the largest model batch restoring images of these sizes together runs. */
    public long plannedPixels(List<TileBatches.Size> sizes) {
        return TileBatches.largestBatchPixels(sizes, options, sizeMultiple);
    }

    /** Whether images of these sizes can be restored together within the budget. */
    public boolean fits(List<TileBatches.Size> sizes) {
        return plannedPixels(sizes) <= budget.limit();
    }

    /** Tiles the model runs for one image of this size (self-ensemble copies included). */
    public long tiles(TileBatches.Size size) {
        return TileBatches.tileCount(size, options);
    }

    public int batchSize() { return options.batchSize(); }

    public long budgetLimit() { return budget.limit(); }

    /**
     * The restored images, in order. Throws {@link ResourceLimitException} when their largest batch
     * exceeds the budget (the caller restores a group one by one, and a single image is an error row).
     */
    public List<PlanarImage> restore(List<LoadedImage> group) {
        List<TileBatches.Size> sizes = new ArrayList<>(group.size());
        List<PlanarImage> inputs = new ArrayList<>(group.size());
        for (LoadedImage img : group) {
            sizes.add(img.size());
            inputs.add(img.modelInput());
        }
        long pixels = plannedPixels(sizes);
        if (pixels > budget.limit()) {
            LoadedImage first = group.get(0);
            throw new ResourceLimitException((group.size() == 1 ? first.item().imageId() + ": a model batch of " : "a group's model batch of ")
                    + pixels + " pixels (" + first.modelInput().width() + "x" + first.modelInput().height() + ", tile-mode "
                    + options.tileMode().id() + ") exceeds restore.max-pixels-in-flight = " + budget.limit() + " (batch-size "
                    + options.batchSize() + (options.selfEnsemble() ? ", self-ensemble x8" : "")
                    + "); use tile-mode blend or official, or raise the bound");
        }
        if (restorer == null) restorer = restorers.get();
        try (PixelBudget.Lease ignored = budget.acquire(pixels)) {
            long t0 = System.nanoTime();
            List<PlanarImage> out = restorer.restoreAll(inputs, options);
            busyNanos += System.nanoTime() - t0;
            return out;
        }
    }

    /** The device restores run on (null before the first restore). */
    public String device() { return restorer == null ? null : restorer.device(); }

    /** The selective-scan formulation restores run with, fused or standard (null before the first restore). */
    public String scan() { return restorer == null ? null : restorer.scan(); }

    /** Nanoseconds spent inside the model's restore calls so far. */
    public long busyNanos() { return busyNanos; }
}
