package io.mambair.runtime.arch;

import java.util.Map;

import io.mambair.runtime.checkpoint.CheckpointException;

/** Recovers an {@code mlp_ratio} from the SS2D inner widths it produced ({@code d_inner = int(mlp_ratio * width)}). */
final class MlpRatio {
    private static final int MAX_DECIMALS = 6;

    private MlpRatio() {}

    /**
     * The ratio with the fewest decimals such that {@code (int) (ratio * width) == inner} for every entry of
     * {@code innerByWidth} (width to d_inner): 2 for 180 to 360, 1.2 for 36 to 43 and 60 to 72, 1.5 for the UNet.
     */
    static double fit(Map<Integer, Integer> innerByWidth) {
        double lo = 0;
        double hi = Double.MAX_VALUE;
        for (Map.Entry<Integer, Integer> e : innerByWidth.entrySet()) {
            lo = Math.max(lo, (double) e.getValue() / e.getKey());
            hi = Math.min(hi, (double) (e.getValue() + 1) / e.getKey());
        }
        for (int decimals = 0; decimals <= MAX_DECIMALS; decimals++) {
            double scale = Math.pow(10, decimals);
            for (long k = (long) Math.floor(lo * scale); k <= (long) Math.ceil(hi * scale); k++) {
                double ratio = k / scale;
                if (fits(ratio, innerByWidth)) return ratio;
            }
        }
        throw new CheckpointException(
                "no mlp_ratio gives the SS2D inner widths of this checkpoint (width to d_inner: " + innerByWidth + ")");
    }

    private static boolean fits(double ratio, Map<Integer, Integer> innerByWidth) {
        for (Map.Entry<Integer, Integer> e : innerByWidth.entrySet()) {
            if ((int) (ratio * e.getKey()) != e.getValue()) return false;
        }
        return true;
    }
}
