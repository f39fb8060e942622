package io.mambair.runtime.restore;

/**
 * Options of one restore: tile mode, tile size and overlap (blend mode, in input pixels), tiles per
 * inference batch, and the x8 flip/transpose self-ensemble.
 */
public record RestoreOptions(TileMode tileMode, int tile, int overlap, int batchSize, boolean selfEnsemble)
        implements java.io.Serializable {
    public RestoreOptions {
        if (tileMode == null) throw new IllegalArgumentException("tile mode is required");
        if (tile < 8) throw new IllegalArgumentException("tile must be at least 8, got " + tile);
        if (overlap < 0 || overlap * 2 >= tile) {
            throw new IllegalArgumentException("overlap must be >= 0 and less than half the tile (" + tile + "), got " + overlap);
        }
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }

    /** Official tiling, tile 64, overlap 16, batch 1, no ensemble. */
    public static RestoreOptions defaults() {
        return new RestoreOptions(TileMode.OFFICIAL, 64, 16, 1, false);
    }

    public RestoreOptions withTileMode(TileMode mode) { return new RestoreOptions(mode, tile, overlap, batchSize, selfEnsemble); }
    public RestoreOptions withTile(int t, int o) { return new RestoreOptions(tileMode, t, o, batchSize, selfEnsemble); }
    public RestoreOptions withBatchSize(int b) { return new RestoreOptions(tileMode, tile, overlap, b, selfEnsemble); }
    public RestoreOptions withSelfEnsemble(boolean e) { return new RestoreOptions(tileMode, tile, overlap, batchSize, e); }
}
