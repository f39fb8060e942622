package io.mambair.job.execute;

import io.mambair.job.input.WorkItem;
import io.mambair.job.memory.ImageFootprint;
import io.mambair.job.output.ImageRow;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.restore.Restorer;
import io.mambair.runtime.testing.SharedData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures, in a JVM of its own (an OutOfMemoryError may strike any thread), the heap one image needs
 * from read to write: the smallest free heap in which its three stages complete, found by bisection
 * with ballast arrays filling the rest of the heap. Prints one line:
 * {@code predicted P held H decode D restore R finish F need N}.
 * Arguments: fixture family, tile mode, output format, "benchmark" or "enhance", a scratch folder.
 */
public final class FootprintProbe {
    static final double PRECISION = 0.03;
    private static final int CHUNK = 256 << 10;
    private static final int W = 240;
    private static final int H = 200;
    private final List<byte[]> ballast = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String family = args[0];
        String format = args[2];
        boolean benchmark = "benchmark".equals(args[3]);
        Path dir = Path.of(args[4]);
        PipelineFixture f = new PipelineFixture(dir, SharedData.fixture(family).resolve("model.pth"), "restore.tile-mode=" + args[1],
                "restore.tile=48", "restore.overlap=8", "restore.batch-size=4", "output.format=" + format);
        int scale = f.ctx.model().scale();
        WorkItem item = f.image("a.png", W, H, 1);
        String reference = benchmark ? f.image("ref.png", W * scale, H * scale, 2).inputUri() : null;
                WorkItem image = new WorkItem(item.imageId(), item.inputUri(), reference, false, f.out.resolve("a." + format).toUri().toString(),
                W, H, 3, 8, item.cost(), false, null, null);

        Restorer restorer = SharedRuntime.get(f.ctx.model(), Device.cpu());
        ImageReader reader = new ImageReader(f.ctx.settings(), scale, f.ctx.model().config().inChans(), f.ctx.conf());
        ModelStage stage = new ModelStage(() -> restorer, f.ctx.settings().restore().options(), PixelBudget.of(1 << 30),
                f.ctx.model().config().sizeMultiple());
        ImageFinisher finisher = new ImageFinisher(new OutputWriter(f.out.toString(), 95, scale, f.ctx.conf()),
                new RowBuilder(f.ctx, null, "probe"), scale, f.ctx.cropBorder(), false);
        Runnable once = () -> {
            try {
                LoadedImage loaded = reader.read(image);
                ImageRow row = finisher.finish(loaded, stage.restore(List.of(loaded)).get(0), "cpu", "x", 0, System.nanoTime());
                if (!ImageRow.OK.equals(row.status())) throw new IllegalStateException(row.error_message());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        once.run();  // warms the session, the codecs and the classes
        once.run();

        ImageFootprint.Parts p = ImageFootprint.forRun(f.ctx.settings(), f.ctx.model()).parts(image);
        FootprintProbe probe = new FootprintProbe();
        long need = probe.need(once, 4 * p.peak() + (32L << 20));
        System.out.printf("predicted %d held %d decode %d restore %d finish %d need %d%n", p.peak(), p.held(), p.decode(), p.restore(),
                p.finish(), need);
    }

    /** The smallest free heap (to {@link #PRECISION}) in which {@code run} completes, searched below {@code hi}. */
    long need(Runnable run, long hi) {
        long lo = 0;
        if (!completesWithFree(hi, run)) throw new IllegalStateException("does not complete with " + hi + " bytes free");
        while (hi - lo > PRECISION * hi) {
            long mid = (lo + hi) / 2;
            if (completesWithFree(mid, run)) hi = mid; else lo = mid;
        }
        return hi;
    }

    private boolean completesWithFree(long free, Runnable run) {
        fillTo(free);
        try {
            run.run();
            return true;
        } catch (OutOfMemoryError | RuntimeException e) {
            return false;  // the run completed with more heap: here it failed for want of memory (an error row of an encoder hit by it)
        }
    }

    private void fillTo(long free) {
        for (int i = 0; i < 8; i++) {
            long gap = freeHeap() - free;
            if (Math.abs(gap) < CHUNK) return;
            if (gap > 0) {
                for (long n = gap / CHUNK; n > 0; n--) ballast.add(new byte[CHUNK - 16]);
            } else {
                for (long n = (-gap + CHUNK - 1) / CHUNK; n > 0 && !ballast.isEmpty(); n--) ballast.remove(ballast.size() - 1);
            }
        }
    }

    /** The heap not in use after a full collection. */
    private static long freeHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 2; i++) System.gc();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }
}
