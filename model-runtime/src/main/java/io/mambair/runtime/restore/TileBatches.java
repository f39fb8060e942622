package io.mambair.runtime.restore;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model batches {@link Restorer#restoreAll} runs for images of given sizes, known before any
 * pixel is read: tiles of one padded shape, from any image and any self-ensemble copy, share
 * batches of at most {@code batchSize}; a short batch runs at its true size (the sessions the
 * runtime builds take any batch size), so no tile is computed twice.
 */
public final class TileBatches {
    private TileBatches() {}

    /** An image size in pixels. */
    public record Size(int height, int width) {}

    /**
     * Input pixels (tiles x padded tile height x width) of the largest batch restoring {@code images}
     * together with {@code options} runs: what the model's activations scale with.
     */
    public static long largestBatchPixels(List<Size> images, RestoreOptions options, int sizeMultiple) {
        Map<Long, Long> tilesByShape = new HashMap<>();
        int copies = options.selfEnsemble() ? SelfEnsemble.SIZE : 1;
        for (Size s : images) {
            for (int k = 0; k < copies; k++) {
                boolean transposed = copies > 1 && (k & 4) != 0;
                int h = transposed ? s.width() : s.height();
                int w = transposed ? s.height() : s.width();
                countTiles(h, w, options, sizeMultiple, tilesByShape);
            }
        }
        long largest = 0;
        for (Map.Entry<Long, Long> e : tilesByShape.entrySet()) {
            long pixels = Math.min(options.batchSize(), e.getValue()) * (e.getKey() >>> 32) * (e.getKey() & 0xffffffffL);
            largest = Math.max(largest, pixels);
        }
        return largest;
    }

    /** Tiles the model runs for one image of {@code size} (self-ensemble copies included). */
    public static long tileCount(Size size, RestoreOptions options) {
        Map<Long, Long> counts = new HashMap<>();
        countTiles(size.height(), size.width(), options, 1, counts);
        long perCopy = counts.values().stream().mapToLong(Long::longValue).sum();
        return perCopy * (options.selfEnsemble() ? SelfEnsemble.SIZE : 1);
    }

    private static void countTiles(int h, int w, RestoreOptions o, int sizeMultiple, Map<Long, Long> counts) {
        switch (o.tileMode()) {
            case WHOLE -> counts.merge(shapeKey(h, w, sizeMultiple), 1L, Long::sum);
            case BLEND -> counts.merge(shapeKey(o.tile(), o.tile(), sizeMultiple),
                    (long) BlendPlan.starts(h, o.tile(), o.overlap()).length * BlendPlan.starts(w, o.tile(), o.overlap()).length, Long::sum);
            case OFFICIAL -> {
                OfficialPlan.Grid grid = OfficialPlan.Grid.of(h, w);
                for (int i = 0; i < grid.tileCount(); i++) {
                    TilePlan.Region r = grid.tile(i);
                    counts.merge(shapeKey(r.height(), r.width(), sizeMultiple), 1L, Long::sum);
                }
            }
        }
    }

    /** The batch key of a tile region: its height and width rounded up to the model's size multiple. */
    static long shapeKey(int height, int width, int sizeMultiple) {
        return ((long) roundUp(height, sizeMultiple) << 32) | roundUp(width, sizeMultiple);
    }

    private static int roundUp(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }
}
