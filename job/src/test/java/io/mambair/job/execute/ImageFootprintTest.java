package io.mambair.job.execute;

import io.mambair.job.input.WorkItem;
import io.mambair.job.memory.ImageFootprint;
import io.mambair.job.output.ImageRow;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.restore.Restorer;
import io.mambair.runtime.testing.SharedData;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The predicted footprint of an image against what its stages allocate, measured with the JVM's
 * per-thread allocation counter and the live heap after a full collection between stages. The
 * measured peak is an upper bound of the real one: for each stage, what earlier stages left live plus
 * everything the stage allocated. The prediction must cover at least {@value #LOW} of it and be at most
 * {@value #HIGH} times it, for each tile mode and model family (light SR x4, classic SR x2, colour
 * denoising x1), in enhance mode (PNG, TIFF or JPEG output) and in benchmark mode.
 */
class ImageFootprintTest {
    static final double LOW = 0.85;
    static final double HIGH = 1.6;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @ParameterizedTest(name = "{0} {1} -> {2}{3}")
    @CsvSource({
            "light_sr_x4, blend, png, ''", "light_sr_x4, official, png, ''", "light_sr_x4, whole, png, ''",
            "classic_sr_x2, blend, tif, ''", "classic_sr_x2, official, jpg, ''", "classic_sr_x2, whole, png, ''",
            "color_dn, blend, png, ''", "color_dn, official, tif, ''", "color_dn, whole, jpg, ''",
            "light_sr_x4, blend, png, ' benchmark'", "classic_sr_x2, official, png, ' benchmark'"})
    void predictionIsWithinTheMarginOfTheMeasuredPeak(String family, String mode, String format, String benchmark, @TempDir Path dir)
            throws Exception {
        boolean measure = !benchmark.isBlank();
        Path model = SharedData.fixture(family).resolve("model.pth");
        PipelineFixture f = new PipelineFixture(dir, model, "restore.tile-mode=" + mode, "restore.tile=48", "restore.overlap=8",
                "restore.batch-size=4", "output.format=" + format);
        int w = 180;
        int h = 140;
        WorkItem item = f.image("a.png", w, h, 1);
        if (measure) item = f.item("a.png", w, h, f.image("ref.png", w * f.ctx.model().scale(), h * f.ctx.model().scale(), 2).inputUri());
        String out = f.out.resolve("a." + format).toUri().toString();
        item = new WorkItem(item.imageId(), item.inputUri(), item.referenceUri(), false, out, w, h, 3, 8, item.cost(), false, null, null);

        int scale = f.ctx.model().scale();
        Restorer restorer = SharedRuntime.get(f.ctx.model(), Device.cpu());
        ImageReader reader = new ImageReader(f.ctx.settings(), scale, f.ctx.model().config().inChans(), f.ctx.conf());
        ModelStage stage = new ModelStage(() -> restorer, f.ctx.settings().restore().options(), PixelBudget.of(1 << 30),
                f.ctx.model().config().sizeMultiple());
        RowBuilder rows = new RowBuilder(f.ctx, null, "test");
        ImageFinisher finisher = new ImageFinisher(new OutputWriter(f.out.toString(), 95, scale, f.ctx.conf()), rows, scale,
                f.ctx.cropBorder(), false);
        runOnce(reader, stage, finisher, item);  // warms the session, the codecs and the classes

        long base = live();
        long t0 = THREADS.getCurrentThreadAllocatedBytes();
        LoadedImage loaded = reader.read(item);
        long readAlloc = THREADS.getCurrentThreadAllocatedBytes() - t0;
        long afterRead = live() - base;
        t0 = THREADS.getCurrentThreadAllocatedBytes();
        PlanarImage restored = stage.restore(List.of(loaded)).get(0);
        long restoreAlloc = THREADS.getCurrentThreadAllocatedBytes() - t0;
        long afterRestore = live() - base;
        t0 = THREADS.getCurrentThreadAllocatedBytes();
        ImageRow row = finisher.finish(loaded, restored, "cpu", "x", 0, System.nanoTime());
        long finishAlloc = THREADS.getCurrentThreadAllocatedBytes() - t0;
        assertEquals(ImageRow.OK, row.status(), row.error_message());

        long measured = Math.max(readAlloc, Math.max(afterRead + restoreAlloc, afterRestore + finishAlloc));
        ImageFootprint.Parts predicted = ImageFootprint.forRun(f.ctx.settings(), f.ctx.model()).parts(item);
        double ratio = (double) predicted.peak() / measured;
        System.out.printf("footprint %s %s %s%s: predicted %d (held %d, decode %d, restore %d, finish %d), measured %d "
                        + "(read %d, live %d + restore %d, live %d + finish %d), ratio %.2f%n", family, mode, format, benchmark,
                predicted.peak(), predicted.held(), predicted.decode(), predicted.restore(), predicted.finish(), measured,
                readAlloc, afterRead, restoreAlloc, afterRestore, finishAlloc, ratio);
        assertTrue(ratio >= LOW && ratio <= HIGH, "predicted " + predicted.peak() + " vs measured " + measured + " = " + ratio);
    }

    private static void runOnce(ImageReader reader, ModelStage stage, ImageFinisher finisher, WorkItem item) throws Exception {
        LoadedImage img = reader.read(item);
        finisher.finish(img, stage.restore(List.of(img)).get(0), "cpu", "x", 0, System.nanoTime());
    }

    /** Heap in use after a full collection. */
    private static long live() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 2; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
