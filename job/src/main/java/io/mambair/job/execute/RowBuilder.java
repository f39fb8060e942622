package io.mambair.job.execute;

import io.mambair.job.config.JobSettings;
import io.mambair.job.input.WorkItem;
import io.mambair.job.output.ImageRow;
import io.mambair.runtime.image.PlanarImage;

/** The one place per-image rows are made: the run's labels, then an image's outcome. */
public final class RowBuilder {
    private final RunContext ctx;
    private final String gpuAddress;
    private final String executorId;

    public RowBuilder(RunContext ctx, String gpuAddress, String executorId) {
        this.ctx = ctx;
        this.gpuAddress = gpuAddress;
        this.executorId = executorId;
    }

    /** The row of an image restored (and measured when {@code metrics} is not null). */
    public ImageRow ok(LoadedImage img, PlanarImage output, ImageMetrics metrics, String device, long runtimeMs, long startNanos) {
        ImageRow r = base(img.item());
        r.width = img.lowQuality().width();
        r.height = img.lowQuality().height();
        r.channels = img.lowQuality().color().channels();
        r.bit_depth = img.lowQuality().bitDepth();
        r.out_width = output.width();
        r.out_height = output.height();
        r.device = device;
        r.runtime_ms = runtimeMs;
        if (metrics != null) {
            r.psnr = metrics.psnr();
            r.ssim = metrics.ssim();
            r.psnr_y = metrics.psnrY();
            r.ssim_y = metrics.ssimY();
            r.baseline_psnr_y = metrics.baselinePsnrY();
            r.baseline_ssim_y = metrics.baselineSsimY();
            r.crop_border = metrics.cropBorder();
        }
        r.status = ImageRow.OK;
        return finish(r, startNanos);
    }

    /** The row of an image that failed: its error class and a one-line message. */
    public ImageRow error(WorkItem item, String errorClass, String message, long startNanos) {
        ImageRow r = base(item);
        r.status = ImageRow.ERROR;
        r.error_class = errorClass;
        r.error_message = message;
        return finish(r, startNanos);
    }

    /** The row of an image that failed with {@code e}. */
    public ImageRow error(WorkItem item, Throwable e, long startNanos) {
        return error(item, e.getClass().getSimpleName(), String.valueOf(e.getMessage()), startNanos);
    }

    private ImageRow base(WorkItem item) {
        ImageRow r = new ImageRow();
        r.run_id = ctx.runId();
        r.dataset = ctx.dataset();
        r.image_id = item.imageId();
        r.input_uri = item.inputUri();
        r.output_uri = item.outputUri();
        r.reference_uri = item.referenceUri();
        r.task = ctx.task();
        r.scale = ctx.model().scale();
        r.model_name = ctx.model().name();
        r.model_sha256 = ctx.model().sha256();
        JobSettings.Restore rs = ctx.settings().restore();
        r.tile_mode = rs.tileMode();
        r.tile_size = rs.tile();
        r.tile_overlap = rs.overlap();
        r.gpu_address = gpuAddress;
        r.executor_id = executorId;
        return r;
    }

    private static ImageRow finish(ImageRow r, long startNanos) {
        r.total_ms = (System.nanoTime() - startNanos) / 1_000_000;
        r.finished_at_ms = System.currentTimeMillis();
        return r;
    }
}
