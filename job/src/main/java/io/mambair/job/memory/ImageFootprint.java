package io.mambair.job.memory;

import io.mambair.job.config.JobSettings;
import io.mambair.job.input.WorkItem;
import io.mambair.runtime.arch.ModelConfig;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.TileBatches;
import io.mambair.udfs.codec.ImageEncoder;

import java.io.Serializable;
import java.util.List;

/**
 * Predicts, from an image's header and the run's settings, the heap bytes the image holds at its peak
 * between decode and write: what it keeps through every stage (the decoded low-quality planes, the
 * model's input planes, the reference, the restored output) plus the largest transient of one stage
 * (decoder buffers, the tile batches in flight, the metrics' planes, the encoder's raster and bytes).
 * Float samples are 4 bytes; the stages are those of {@code io.mambair.job.execute}.
 */
public final class ImageFootprint implements Serializable {
    private static final long F = 4;
    /** Measured overhead of the metrics per output sample and channel (levels, float64 planes of both images, SSIM sums). */
    private static final long METRIC_BYTES = 40;

    private final int scale;
    private final int inChans;
    private final int outChans;
    private final int sizeMultiple;
    private final RestoreOptions options;
    private final boolean keepModelColour;

    /** A predictor for a model of {@code scale} taking {@code inChans} planes and giving {@code outChans}. */
    public ImageFootprint(int scale, int inChans, int outChans, int sizeMultiple, RestoreOptions options, boolean keepModelColour) {
        this.scale = scale;
        this.inChans = inChans;
        this.outChans = outChans;
        this.sizeMultiple = sizeMultiple;
        this.options = options;
        this.keepModelColour = keepModelColour;
    }

    /** The predictor of a run: its settings' restore options and output colour, the model's scale and channels. */
    public static ImageFootprint forRun(JobSettings settings, ResolvedModel model) {
        ModelConfig c = model.config();
        return new ImageFootprint(model.scale(), c.inChans(), c.outChans(), c.sizeMultiple(), settings.restore().options(),
                settings.output().keepModelColour());
    }

    /** The parts of one image's footprint in bytes; {@link #peak()} is what it reserves. */
    public record Parts(long held, long decode, long restore, long finish) {
        public long peak() { return held + Math.max(decode, Math.max(restore, finish)); }
    }

    /** The predicted peak bytes of {@code item} (its width, height, channels and bit depth from the header). */
    public long bytes(WorkItem item) { return parts(item).peak(); }

    /** The footprint of {@code item} by stage. */
    public Parts parts(WorkItem item) {
        long lq = (long) Math.max(1, item.width()) * Math.max(1, item.height());
        long out = lq * scale * scale;
        int colour = item.channels() >= 3 ? 3 : 1;
        boolean alpha = item.channels() == 2 || item.channels() == 4;
        int bytesPerSample = item.bitDepth() > 8 ? 2 : 1;
        boolean reference = item.referenceUri() != null || item.synthesize();

        long lqPlanes = lq * (colour + (alpha ? 1 : 0)) * F;
        long modelInput = colour == inChans ? 0 : lq * inChans * F;
        long refPlanes = reference ? out * Math.max(outChans, colour) * F : 0;
        long restored = out * outChans * F * (options.selfEnsemble() ? 2 : 1);
        long held = lqPlanes + modelInput + refPlanes + restored;

        // decoding: the file, the decoder's raster and the orientation's copy of the planes (the reference's, when larger)
        long decodedPixels = reference ? out : lq;
        long decode = decodedPixels * colour * (2L * bytesPerSample + F);

        long restore = batches(item);
        if (options.selfEnsemble()) restore += 8 * (lq * inChans * F + out * outChans * F);

        boolean written = item.outputUri() != null;
        boolean grey = !reference && !keepModelColour && colour == 1 && outChans == 3;
        int writtenChannels = (grey ? 1 : outChans) + (alpha ? 1 : 0);
        long encode = 0;
        if (written) {
            boolean jpeg = "jpeg".equals(formatOf(item.outputUri()));
            long raster = out * writtenChannels * (jpeg ? 1 : bytesPerSample);
            // the raster, the encoded bytes (at most the raster's size) growing in a doubling buffer, their final copy
            encode = raster * 4 + (alpha ? out * F : 0);
        }
        long metrics = reference ? out * (outChans * METRIC_BYTES + 2 * outChans * F) : 0;
        long finish = (grey ? out * F : 0) + Math.max(encode, metrics);
        return new Parts(held, decode, restore, finish);
    }

    /** Heap bytes of the model batches for one image: the batch cut, the model's output array and a cropped copy. */
    private long batches(WorkItem item) {
        TileBatches.Size size = new TileBatches.Size(Math.max(1, item.height()), Math.max(1, item.width()));
        long pixels = TileBatches.largestBatchPixels(List.of(size), options, sizeMultiple);
        return pixels * inChans * F + 2 * pixels * scale * scale * outChans * F;
    }

    private static String formatOf(String uri) {
        try {
            return ImageEncoder.formatForExtension(uri);
        } catch (IllegalArgumentException e) {
            return "png";
        }
    }
}
