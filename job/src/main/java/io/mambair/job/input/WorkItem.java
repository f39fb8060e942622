package io.mambair.job.input;

import java.io.Serializable;

/**
 * One image of a run as planned on the driver: where its low-quality input comes from, its
 * reference (benchmark mode), where its output goes, its size from the header and its cost. A
 * non-null {@code problemClass} means the image cannot be processed and becomes an error row.
 * Each location is a root (one string shared by every item of a run) and a path below it, so a
 * million items do not hold a million copies of the same folder URIs.
 *
 * @param imageId        the input's path relative to the input root (the key of its table row)
 * @param inputRoot      the root of the file read ({@link #inputUri()} = root + path)
 * @param inputPath      its path below the root (the same string as {@code imageId} for a listed input)
 * @param referenceRoot  the root of the reference, or null in enhance mode
 * @param referencePath  the reference's path below its root, or null
 * @param synthesize     the low-quality image is made from the reference by the configured degradation
 * @param outputRoot     the root of the output file, or null when images are not written
 * @param outputPath     the output's path below its root, or null
 * @param width          input width from the header (of the low-quality image), or 0 when unknown
 * @param height         input height, or 0
 * @param channels       colour channels from the header, or 0
 * @param bitDepth       bits per sample from the header, or 0
 * @param cost           output pixels; what partitions are balanced on
 * @param previouslyDone an earlier run into the same output finished this image
 */
public record WorkItem(
        String imageId,
        String inputRoot,
        String inputPath,
        String referenceRoot,
        String referencePath,
        boolean synthesize,
        String outputRoot,
        String outputPath,
        int width,
        int height,
        int channels,
        int bitDepth,
        long cost,
        boolean previouslyDone,
        String problemClass,
        String problemMessage) implements Serializable {

    /** An item given by full URIs (no shared roots): a test's or a benchmark's single image. */
    public WorkItem(String imageId, String inputUri, String referenceUri, boolean synthesize, String outputUri, int width, int height,
                    int channels, int bitDepth, long cost, boolean previouslyDone, String problemClass, String problemMessage) {
        this(imageId, "", inputUri, referenceUri == null ? null : "", referenceUri, synthesize, outputUri == null ? null : "", outputUri,
                width, height, channels, bitDepth, cost, previouslyDone, problemClass, problemMessage);
    }

    /** The file read. */
    public String inputUri() { return inputRoot + inputPath; }

    /** The reference's URI, or null in enhance mode. */
    public String referenceUri() { return referenceRoot == null ? null : referenceRoot + referencePath; }

    /** Where the restored image is written, or null when images are not written. */
    public String outputUri() { return outputRoot == null ? null : outputRoot + outputPath; }

    /** True when the image is known bad before any decoding. */
    public boolean hasProblem() { return problemClass != null; }

    /** The same item marked as a known problem. */
    public WorkItem withProblem(String errorClass, String message) {
        return new WorkItem(imageId, inputRoot, inputPath, referenceRoot, referencePath, synthesize, outputRoot, outputPath,
                width, height, channels, bitDepth, 1, previouslyDone, errorClass, message);
    }
}
