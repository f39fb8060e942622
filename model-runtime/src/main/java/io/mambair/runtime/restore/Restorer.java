package io.mambair.runtime.restore;

import io.mambair.runtime.arch.ModelConfig;
import io.mambair.runtime.image.PlanarImage;

import java.util.List;

/** Restores images with one model on one device. Implementations are thread-safe. */
public interface Restorer {
    /** Restores one CHW [0,1] image (channels must equal config().inChans()); output is not clamped. */
    PlanarImage restore(PlanarImage lowQuality, RestoreOptions options);

    /** Restores several images, packing tiles of different images into shared fixed-shape batches. */
    List<PlanarImage> restoreAll(List<PlanarImage> lowQuality, RestoreOptions options);

    /** This restorer (same model and session) telling {@code listener} the output pixels of every model batch as it finishes. */
    Restorer withTileProgress(TileProgress listener);

    /** The device in use, e.g. "cpu" or "cuda:0". */
    String device();

    /** The selective-scan formulation in use: "fused" or "standard". */
    String scan();

    ModelConfig config();
}
