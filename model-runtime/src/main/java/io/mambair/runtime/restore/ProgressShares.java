package io.mambair.runtime.restore;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns finished tiles into finished output pixels: each plan owns a share of its image's output
 * pixels (split evenly over the self-ensemble copies), spread over its tiles so the shares add up
 * exactly, whatever the overlap of the tiles.
 */
final class ProgressShares {
    private final TileProgress listener;
    private final Map<TilePlan, long[]> state = new IdentityHashMap<>(); // plan -> {share, tiles done}

    /** {@code plans} are grouped by image, {@code copies} consecutive plans per image; {@code scale} maps input to output pixels. */
    ProgressShares(List<? extends TilePlan> plans, int copies, int scale, TileProgress listener) {
        this.listener = listener;
        for (int i = 0; i < plans.size(); i += copies) {
            long pixels = plans.get(i).input().pixels() * scale * scale;
            for (int k = 0; k < copies; k++) {
                state.put(plans.get(i + k), new long[] {pixels * (k + 1) / copies - pixels * k / copies, 0});
            }
        }
    }

    /** The output pixels {@code plan}'s next finished tile adds. */
    long tileDone(TilePlan plan) {
        long[] s = state.get(plan);
        long n = plan.tileCount();
        long before = s[0] * s[1] / n;
        s[1]++;
        return s[0] * s[1] / n - before;
    }

    /** Reports what one batch finished. */
    void report(long pixels) {
        if (pixels > 0) listener.outputPixelsDone(pixels);
    }
}
