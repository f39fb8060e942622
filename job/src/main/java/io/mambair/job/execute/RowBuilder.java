package io.mambair.job.execute;

import io.mambair.job.input.WorkItem;
import io.mambair.job.output.ImageRow;
import io.mambair.job.output.Provenance;
import io.mambair.runtime.image.PlanarImage;

/** The one place per-image rows are made: the run's labels, then an image's outcome. */
public final class RowBuilder {
    private final RunContext ctx;
    private final String gpuAddress;
    private final String executorId;
    private final Provenance provenance;

    public RowBuilder(RunContext ctx, String gpuAddress, String executorId) {
        this.ctx = ctx;
        this.provenance = Provenance.of(ctx.settings(), ctx.model().name(), ctx.model().sha256(), ctx.task(), ctx.model().scale());
        this.gpuAddress = gpuAddress;
        this.executorId = executorId;
    }

    /** The row of an image restored (and measured when {@code metrics} is not null). */
    public ImageRow ok(LoadedImage img, PlanarImage output, ImageMetrics metrics, String device, String scan, long runtimeMs, long startNanos) {
        ImageRow.Builder r = base(img.item());
        r.width(img.lowQuality().width());
        r.height(img.lowQuality().height());
        r.channels(img.lowQuality().color().channels());
        r.bit_depth(img.lowQuality().bitDepth());
        r.out_width(output.width());
        r.out_height(output.height());
        r.device(device);
        r.scan(scan);
        r.runtime_ms(runtimeMs);
        if (metrics != null) {
            r.psnr(metrics.psnr());
            r.ssim(metrics.ssim());
            r.psnr_y(metrics.psnrY());
            r.ssim_y(metrics.ssimY());
            r.baseline_psnr_y(metrics.baselinePsnrY());
            r.baseline_ssim_y(metrics.baselineSsimY());
            r.crop_border(metrics.cropBorder());
        }
        r.status(ImageRow.OK);
        return finish(r, startNanos);
    }

    /** The row of an image that failed: its error class and a one-line message. */
    public ImageRow error(WorkItem item, String errorClass, String message, long startNanos) {
        ImageRow.Builder r = base(item);
        r.status(ImageRow.ERROR);
        r.error_class(errorClass);
        r.error_message(message);
        return finish(r, startNanos);
    }

    /** The row of an image that failed with {@code e}. */
    public ImageRow error(WorkItem item, Throwable e, long startNanos) {
        return error(item, e.getClass().getSimpleName(), String.valueOf(e.getMessage()), startNanos);
    }

    private ImageRow.Builder base(WorkItem item) {
        ImageRow.Builder r = provenance.applyTo(new ImageRow.Builder());
        r.run_id(ctx.runId());
        r.dataset(ctx.dataset());
        r.image_id(item.imageId());
        r.input_uri(item.inputUri());
        r.output_uri(item.outputUri());
        r.reference_uri(item.referenceUri());
        r.gpu_address(gpuAddress);
        r.executor_id(executorId);
        return r;
    }

    private static ImageRow finish(ImageRow.Builder r, long startNanos) {
        r.total_ms((System.nanoTime() - startNanos) / 1_000_000);
        r.finished_at_ms(System.currentTimeMillis());
        return r.build();
    }
}
