package io.mambair.job.input;

import java.io.Serializable;

/**
 * One image of a run as planned on the driver: where its low-quality input comes from, its
 * reference (benchmark mode), where its output goes, its size from the header and its cost. A
 * non-null {@code problemClass} means the image cannot be processed and becomes an error row.
 *
 * @param imageId        the input's path relative to the input root (the key of its table row)
 * @param inputUri       the file read (the reference itself when {@code synthesize})
 * @param referenceUri   the reference, or null in enhance mode
 * @param synthesize     the low-quality image is made from the reference by the configured degradation
 * @param outputUri      where the restored image is written, or null when images are not written
 * @param width          input width from the header (of the low-quality image), or 0 when unknown
 * @param height         input height, or 0
 * @param channels       colour channels from the header, or 0
 * @param bitDepth       bits per sample from the header, or 0
 * @param cost           output pixels; what partitions are balanced on
 * @param previouslyDone an earlier run into the same output finished this image
 */
public record WorkItem(
        String imageId,
        String inputUri,
        String referenceUri,
        boolean synthesize,
        String outputUri,
        int width,
        int height,
        int channels,
        int bitDepth,
        long cost,
        boolean previouslyDone,
        String problemClass,
        String problemMessage) implements Serializable {

    /** True when the image is known bad before any decoding. */
    public boolean hasProblem() { return problemClass != null; }

    /** The same item marked as a known problem. */
    public WorkItem withProblem(String errorClass, String message) {
        return new WorkItem(imageId, inputUri, referenceUri, synthesize, outputUri, width, height, channels, bitDepth,
                1, previouslyDone, errorClass, message);
    }
}
