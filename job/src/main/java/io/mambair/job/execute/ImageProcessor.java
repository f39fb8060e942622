package io.mambair.job.execute;

import io.mambair.job.config.JobSettings;
import io.mambair.job.input.WorkItem;
import io.mambair.job.output.AtomicFiles;
import io.mambair.job.output.ImageRow;
import io.mambair.job.output.OutputPaths;
import io.mambair.job.output.Provenance;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.restore.Restorer;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.TileMode;
import io.mambair.udfs.codec.DecodeOptions;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageDecodeException;
import io.mambair.udfs.codec.ImageDecoder;
import io.mambair.udfs.codec.ImageEncoder;
import io.mambair.udfs.codec.Quantizer;
import io.mambair.udfs.degrade.Degradation;
import io.mambair.udfs.degrade.Degrader;
import io.mambair.udfs.degrade.OfficialReference;
import io.mambair.udfs.metrics.BicubicBaseline;
import io.mambair.udfs.metrics.MetricOptions;
import io.mambair.udfs.metrics.Quality;
import io.mambair.udfs.resize.Crop;
import io.mambair.udfs.restore.ImageRestore;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.concurrent.CancellationException;

/**
 * Processes one {@link WorkItem} on an executor: read and decode (or synthesise) the low-quality
 * image, restore it, write the output atomically, measure it against its reference, and describe
 * the outcome as an {@link ImageRow}. Every failure of the image becomes an error row.
 */
public final class ImageProcessor {
    private final RunContext ctx;
    private final Restorer restorer;
    private final String gpuAddress;
    private final String executorId;
    private final Provenance provenance;

    public ImageProcessor(RunContext ctx, Restorer restorer, String gpuAddress, String executorId) {
        this.ctx = ctx;
        this.provenance = Provenance.of(ctx.settings(), ctx.model().name(), ctx.model().sha256(), ctx.task(), ctx.model().scale());
        this.restorer = restorer;
        this.gpuAddress = gpuAddress;
        this.executorId = executorId;
    }

    /**
     * The row of {@code item}; never throws for a problem of the image itself (including an input
     * deleted after listing). Throws {@link StorageFailure} when the file system itself fails.
     */
    public ImageRow process(WorkItem item) {
        long start = System.nanoTime();
        ImageRow.Builder row = baseRow(item);
        if (item.hasProblem()) return error(row, item.problemClass(), item.problemMessage(), start);
        try {
            restoreAndMeasure(item, row);
            row.status(ImageRow.OK);
        } catch (StorageFailure | CancellationException e) {
            throw e;
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            return error(row, e.getClass().getSimpleName(), String.valueOf(e.getMessage()), start);
        }
        row.total_ms((System.nanoTime() - start) / 1_000_000);
        row.finished_at_ms(System.currentTimeMillis());
        return row.build();
    }

    private void restoreAndMeasure(WorkItem item, ImageRow.Builder row) throws IOException {
        JobSettings s = ctx.settings();
        int scale = ctx.model().scale();
        long maxPixels = s.input().maxPixels();
        boolean orient = s.input().applyOrientation();
        int modelChannels = ctx.model().inChannels();
        DecodedImage reference = null;
        DecodedImage lq;
        if (item.synthesize()) {
            reference = OfficialReference.read(read(item.referenceUri()), item.imageId(), maxPixels, modelChannels, orient);
            lq = Degrader.apply(reference, degradation(s.benchmark().degradation(), scale));
        } else {
            lq = ImageDecoder.decode(read(item.inputUri()), item.imageId(), maxPixels, DecodeOptions.DEFAULT.withOrientation(orient));
            if (item.referenceUri() != null) reference = OfficialReference.read(read(item.referenceUri()), item.referenceUri(), maxPixels, modelChannels, orient);
        }
        row.width(lq.width());
        row.height(lq.height());
        row.channels(lq.color().channels());
        row.bit_depth(lq.bitDepth());

        PlanarImage input = ImageRestore.modelInput(lq.color(), ctx.model().inChannels());
        RestoreOptions options = options(s.restore());
        PixelBudget budget = PixelBudget.of(s.restore().maxPixelsInFlight());
        long batchPixels = PixelBudget.batchPixels(input.height(), input.width(), options);
        if (batchPixels > budget.limit()) {
            throw new ResourceLimitException(item.imageId() + ": a model batch of " + batchPixels + " pixels (" + input.width() + "x"
                    + input.height() + ", tile-mode " + s.restore().tileMode() + ") exceeds restore.max-pixels-in-flight = "
                    + budget.limit() + "; use tile-mode blend or official, or raise the bound");
        }
        PlanarImage restored;
        long t0;
        try (PixelBudget.Lease ignored = budget.acquire(batchPixels)) {
            t0 = System.nanoTime();
            restored = restorer.restore(input, options);
        }
        row.runtime_ms((System.nanoTime() - t0) / 1_000_000);
        row.device(restorer.device());
        row.scan(restorer.scan());
        int outBits = lq.bitDepth() > 8 ? 16 : 8;
        PlanarImage quantized = Quantizer.quantize(restored, outBits);
        row.out_width(quantized.width());
        row.out_height(quantized.height());
        PlanarImage shown = s.output().keepModelColour() ? quantized : Quantizer.quantize(ImageRestore.asInput(lq.color(), restored), outBits);

        if (item.outputUri() != null) {
            String format = ImageEncoder.formatForExtension(item.outputUri());
            PlanarImage alpha = "jpeg".equals(format) || !lq.hasAlpha() ? null : ImageRestore.upscaledAlpha(lq, scale);
            byte[] encoded = ImageEncoder.encode(new DecodedImage(shown, alpha, outBits, format), format, s.output().jpegQuality());
            OutputPaths.requireNoLinks(s.output().path(), item.outputUri(), ctx.conf());
            try {
                AtomicFiles.write(item.outputUri(), encoded, ctx.conf());
            } catch (IOException e) {
                throw new StorageFailure("writing " + item.outputUri(), e);
            }
        }
        if (reference != null) measure(row, reference, lq, quantized, scale);
    }

    private void measure(ImageRow.Builder row, DecodedImage reference, DecodedImage lq, PlanarImage output, int scale) {
        PlanarImage ref = reference.color();
        if (ref.height() < output.height() || ref.width() < output.width()) {
            throw new IllegalArgumentException("reference " + ref.width() + "x" + ref.height()
                    + " is smaller than the output " + output.width() + "x" + output.height());
        }
        if (ref.channels() != output.channels()) {
            throw new IllegalArgumentException("reference has " + ref.channels() + " channels, output " + output.channels());
        }
        PlanarImage gt = Crop.topLeft(ref, output.height(), output.width());
        int crop = ctx.cropBorder();
        int bits = reference.bitDepth() > 8 ? 16 : 8;
        row.crop_border(crop);
        Quality rgb = Quality.measure(gt, output, new MetricOptions(crop, false, bits));
        Quality y = Quality.measure(gt, output, new MetricOptions(crop, true, bits));
        row.psnr(rgb.psnr());
        row.ssim(rgb.ssim());
        row.psnr_y(y.psnr());
        row.ssim_y(y.ssim());
        PlanarImage lqColor = ImageRestore.modelInput(lq.color(), gt.channels());
        Quality baseline = scale > 1
                ? BicubicBaseline.measure(ref, lqColor, lq.bitDepth(), scale, true, bits)
                : Quality.measure(gt, Quantizer.quantize(Crop.topLeft(lqColor, gt.height(), gt.width()), bits),
                        new MetricOptions(crop, true, bits));
        row.baseline_psnr_y(baseline.psnr());
        row.baseline_ssim_y(baseline.ssim());
    }

    static Degradation degradation(JobSettings.Degradation d, int scale) {
        return switch (d.kind()) {
            case BICUBIC -> Degradation.bicubic(scale);
            case NOISE -> new Degradation(1, d.noiseSigma(), d.noiseSeed(), 0);
            case JPEG -> new Degradation(1, 0, 0, d.jpegQuality());
        };
    }

    static RestoreOptions options(JobSettings.Restore r) {
        return new RestoreOptions(TileMode.parse(r.tileMode()), r.tile(), r.overlap(), r.batchSize(), r.selfEnsemble());
    }

    /** The whole file; a missing file is the image's problem, any other I/O failure the storage's. */
    private byte[] read(String uri) throws IOException {
        Path p = new Path(uri);
        try {
            FileSystem fs = p.getFileSystem(ctx.conf());
            FileStatus st = fs.getFileStatus(p);
            if (st.getLen() > Integer.MAX_VALUE - 8) throw new ImageDecodeException(uri + " is larger than 2 GiB");
            byte[] b = new byte[(int) st.getLen()];
            try (FSDataInputStream in = fs.open(p)) {
                in.readFully(0, b);
            }
            return b;
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException(uri + " no longer exists (deleted after it was listed)");
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageFailure("reading " + uri, e);
        }
    }

    private ImageRow.Builder baseRow(WorkItem item) {
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

    private static ImageRow error(ImageRow.Builder row, String errorClass, String message, long start) {
        row.status(ImageRow.ERROR);
        row.error_class(errorClass);
        row.error_message(message);
        row.total_ms((System.nanoTime() - start) / 1_000_000);
        row.finished_at_ms(System.currentTimeMillis());
        return row.build();
    }
}
