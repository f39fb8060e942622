package io.mambair.job.execute;

import io.mambair.job.input.WorkItem;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.restore.TileBatches;
import io.mambair.udfs.codec.DecodedImage;

/**
 * An image read and decoded, ready for the model: its work item, the low-quality image as decoded
 * (or synthesised), its reference (null outside benchmark mode) and the planes the model takes.
 */
public record LoadedImage(WorkItem item, DecodedImage lowQuality, DecodedImage reference, PlanarImage modelInput) {
    /** The size the model sees. */
    public TileBatches.Size size() { return new TileBatches.Size(modelInput.height(), modelInput.width()); }
}
