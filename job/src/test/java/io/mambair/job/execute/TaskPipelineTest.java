package io.mambair.job.execute;

import io.mambair.job.NearestUpscale;
import io.mambair.job.input.WorkItem;
import io.mambair.job.memory.ImageFootprint;
import io.mambair.job.memory.MemoryBudget;
import io.mambair.job.output.ImageRow;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.DeviceFaultException;
import io.mambair.runtime.engine.DeviceUnavailableException;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.restore.Restorer;
import io.mambair.runtime.restore.TileModel;
import io.mambair.runtime.restore.TiledRestorer;
import io.mambair.udfs.codec.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskPipelineTest {
    /** Nearest-neighbour upscaling that records the largest batch it is given (n x h x w). */
    static final class RecordingModel implements TileModel {
        final int scale;
        final AtomicLong largest = new AtomicLong();

        RecordingModel(int scale) { this.scale = scale; }

        @Override
        public float[] run(float[] nchw, int n, int channels, int height, int width) {
            largest.accumulateAndGet((long) n * height * width, Math::max);
            return NearestUpscale.of(nchw, n * channels, height, width, scale);
        }
    }

    @ParameterizedTest(name = "{0} batch {1}")
    @CsvSource({"blend,6", "official,4", "whole,4"})
    void imagesBatchedTogetherAreWrittenAsWithBatchOne(String mode, int batch, @TempDir Path dir) throws Exception {
        List<int[]> sizes = List.of(new int[] {20, 17}, new int[] {33, 24}, new int[] {20, 17}, new int[] {9, 40}, new int[] {20, 17});
        PipelineFixture one = new PipelineFixture(dir.resolve("one"), 2, "restore.tile-mode=" + mode, "restore.tile=16", "restore.overlap=4");
        PipelineFixture many = new PipelineFixture(dir.resolve("many"), 2, "restore.tile-mode=" + mode, "restore.tile=16", "restore.overlap=4",
                "restore.batch-size=" + batch);
        List<WorkItem> a = new ArrayList<>();
        List<WorkItem> b = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            a.add(one.image("i" + i + ".png", sizes.get(i)[0], sizes.get(i)[1], i));
            b.add(many.image("i" + i + ".png", sizes.get(i)[0], sizes.get(i)[1], i));
        }
        Restorer real = SharedRuntime.get(one.ctx.model(), Device.cpu());
        Map<String, ImageRow> rowsOne = PipelineFixture.run(one.pipeline(() -> real, 0), a);
        Map<String, ImageRow> rowsMany = PipelineFixture.run(many.pipeline(() -> real, 2), b);
        assertEquals(sizes.size(), rowsMany.size());
        for (int i = 0; i < sizes.size(); i++) {
            String name = "i" + i + ".png";
            assertEquals(ImageRow.OK, rowsMany.get(name).status(), rowsMany.get(name).error_message());
            assertEquals(ImageRow.OK, rowsOne.get(name).status());
            PlanarImage x = ImageDecoder.decode(Files.readAllBytes(one.out.resolve(name)), name, Long.MAX_VALUE).color();
            PlanarImage y = ImageDecoder.decode(Files.readAllBytes(many.out.resolve(name)), name, Long.MAX_VALUE).color();
            assertArrayEquals(x.data(), y.data(), name);
        }
    }

    @Test
    void fourConcurrentTasksWaitForTheMemoryBudgetAndWriteWhatAnUnboundedRunWrites(@TempDir Path dir) throws Exception {
        PipelineFixture f = new PipelineFixture(dir.resolve("bounded"), 2, "restore.tile-mode=blend", "restore.tile=16", "restore.overlap=4");
        PipelineFixture free = new PipelineFixture(dir.resolve("free"), 2, "restore.tile-mode=blend", "restore.tile=16", "restore.overlap=4");
        ImageFootprint footprint = ImageFootprint.forRun(f.ctx.settings(), f.ctx.model());
        List<List<WorkItem>> tasks = new ArrayList<>();
        List<WorkItem> all = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            List<WorkItem> items = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String name = "t" + t + "i" + i + ".png";
                items.add(f.image(name, 40, 30, 10 * t + i));
                all.add(free.image(name, 40, 30, 10 * t + i));
            }
            tasks.add(items);
        }
        long one = footprint.bytes(tasks.get(0).get(0));
        MemoryBudget memory = new MemoryBudget(2 * one + one / 2);  // two images at once, never three
        Restorer real = SharedRuntime.get(f.ctx.model(), Device.cpu());
        List<java.util.concurrent.Future<Map<String, ImageRow>>> runs = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (List<WorkItem> items : tasks) runs.add(pool.submit(() -> PipelineFixture.run(f.pipeline(() -> real, 2, 1 << 20, memory), items)));
            for (java.util.concurrent.Future<Map<String, ImageRow>> r : runs) {
                for (ImageRow row : r.get(120, java.util.concurrent.TimeUnit.SECONDS).values()) {
                    assertEquals(ImageRow.OK, row.status(), row.error_message());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(memory.peak() <= memory.limit(), "reserved " + memory.peak() + " of " + memory.limit());
        assertEquals(2 * one, memory.peak(), "two images held at once, a third waited");
        assertTrue(memory.waits() > 0, "tasks waited for budget");
        assertEquals(0, memory.used(), "every image returned its budget");
        PipelineFixture.run(free.pipeline(() -> real, 2), all);
        for (WorkItem item : all) {
            String name = item.imageId();
            assertArrayEquals(Files.readAllBytes(free.out.resolve(name)), Files.readAllBytes(f.out.resolve(name)), name);
        }
    }

    @Test
    void wholeImagesShareBatchesOnlyAsFarAsTheBudgetAllows(@TempDir Path dir) throws Exception {
        PipelineFixture f = new PipelineFixture(dir, 2, "restore.tile-mode=whole", "restore.batch-size=8");
        List<WorkItem> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) items.add(f.image("same" + i + ".png", 30, 20, i));
        items.add(f.image("big.png", 60, 50, 9));
        RecordingModel model = new RecordingModel(2);
        Restorer r = new TiledRestorer(model, f.ctx.model().config(), "recording", "standard");
        long budget = 2 * 30 * 20 + 100; // two of the small images at once, never the big one
        Map<String, ImageRow> rows = PipelineFixture.run(f.pipeline(() -> r, 2, budget), items);
        assertEquals(2L * 30 * 20, model.largest.get(), "the model saw batches of two whole images, never more");
        for (int i = 0; i < 5; i++) assertEquals(ImageRow.OK, rows.get("same" + i + ".png").status());
        ImageRow big = rows.get("big.png");
        assertEquals(ImageRow.ERROR, big.status());
        assertEquals("ResourceLimitException", big.error_class());
        assertTrue(big.error_message().contains("exceeds restore.max-pixels-in-flight = " + budget), big.error_message());
        assertFalse(Files.exists(f.out.resolve("big.png")));
    }

    @Test
    void everyItemGetsExactlyOneRowWhateverFails(@TempDir Path dir) throws Exception {
        PipelineFixture f = new PipelineFixture(dir, 2, "restore.tile-mode=blend", "restore.tile=16", "restore.overlap=4", "restore.batch-size=3");
        List<WorkItem> items = new ArrayList<>();
        items.add(f.image("a.png", 18, 12, 1));
        Files.write(f.in.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        items.add(f.item("broken.png", 10, 10, null));
        items.add(f.item("gone.png", 10, 10, null));
        items.add(f.image("b.png", 25, 14, 2).withProblem("NoReference", "no reference named b"));
        items.add(f.image("c.png", 7, 30, 3));
        Restorer r = new TiledRestorer(new RecordingModel(2), f.ctx.model().config(), "recording", "standard");
        Map<String, ImageRow> rows = PipelineFixture.run(f.pipeline(() -> r, 2), items);
        assertEquals(List.of("a.png", "broken.png", "gone.png", "b.png", "c.png").stream().sorted().toList(),
                rows.keySet().stream().sorted().toList());
        assertEquals(ImageRow.OK, rows.get("a.png").status());
        assertEquals(ImageRow.OK, rows.get("c.png").status());
        assertEquals("ImageDecodeException", rows.get("broken.png").error_class());
        assertEquals("FileNotFoundException", rows.get("gone.png").error_class());
        assertEquals("NoReference", rows.get("b.png").error_class());
        assertFalse(Files.exists(f.out.resolve("b.png")));
    }

    @Test
    void aBenchmarkImageThatCannotBeMeasuredLeavesNoOutputFile(@TempDir Path dir) throws Exception {
        PipelineFixture f = new PipelineFixture(dir, 2, "mode=benchmark", "benchmark.reference-path=\"" + dir + "\"", "restore.tile-mode=whole");
        f.image("ref.png", 20, 20, 1);
        WorkItem lq = f.image("lq.png", 16, 16, 2);
        WorkItem measured = f.item("lq.png", 16, 16, f.in.resolve("ref.png").toUri().toString());
        Restorer r = new TiledRestorer(new RecordingModel(2), f.ctx.model().config(), "recording", "standard");
        ImageRow row = PipelineFixture.run(f.pipeline(() -> r, 1), List.of(measured)).get(lq.imageId());
        assertEquals(ImageRow.ERROR, row.status());
        assertTrue(row.error_message().contains("smaller than the output 32x32"), row.error_message());
        assertFalse(Files.exists(f.out.resolve("lq.png")), "an error row leaves no output");
    }

    @Test
    void aGreyReferenceBenchmarkWritesTheMeasuredColourOutputAndEnhanceModeKeepsGrey(@TempDir Path dir) throws Exception {
        PipelineFixture f = new PipelineFixture(dir.resolve("bench"), 2, "mode=benchmark", "benchmark.reference-path=\"" + dir + "\"",
                "restore.tile-mode=whole");
        PipelineFixture enhance = new PipelineFixture(dir.resolve("enhance"), 2, "restore.tile-mode=whole");
        grey(f.in.resolve("ref.png"), 48, 40, 1);
        grey(f.in.resolve("lq.png"), 24, 20, 2);
        grey(enhance.in.resolve("lq.png"), 24, 20, 2);
        Restorer real = SharedRuntime.get(f.ctx.model(), Device.cpu());
        ImageRow row = PipelineFixture.run(f.pipeline(() -> real, 1), List.of(f.item("lq.png", 24, 20, f.in.resolve("ref.png").toUri().toString())))
                .get("lq.png");
        assertEquals(ImageRow.OK, row.status(), row.error_message());

        io.mambair.udfs.codec.DecodedImage written = ImageDecoder.decode(Files.readAllBytes(f.out.resolve("lq.png")), "written", Long.MAX_VALUE);
        assertEquals(3, written.color().channels(), "a benchmark output is the model's colour output, as measured");
        io.mambair.udfs.codec.DecodedImage ref = ImageDecoder.decode(Files.readAllBytes(f.in.resolve("ref.png")), "ref", Long.MAX_VALUE);
        io.mambair.udfs.codec.DecodedImage lq = ImageDecoder.decode(Files.readAllBytes(f.in.resolve("lq.png")), "lq", Long.MAX_VALUE);
        ImageMetrics again = ImageMetrics.measure(ref, lq, written.color(), 2, f.ctx.cropBorder());
        assertEquals(row.psnr(), again.psnr(), 1e-6);
        assertEquals(row.ssim(), again.ssim(), 1e-6);
        assertEquals(row.psnr_y(), again.psnrY(), 1e-6);
        assertEquals(row.ssim_y(), again.ssimY(), 1e-6);

        PipelineFixture.run(enhance.pipeline(() -> real, 1), List.of(enhance.item("lq.png", 24, 20, null)));
        assertEquals(1, ImageDecoder.decode(Files.readAllBytes(enhance.out.resolve("lq.png")), "e", Long.MAX_VALUE).color().channels(),
                "enhance mode: grey in, grey out");
    }

    private static void grey(Path file, int w, int h, long seed) throws Exception {
        java.util.Random r = new java.util.Random(seed);
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) d[i] = r.nextInt(256) / 255f;
        Files.write(file, io.mambair.udfs.codec.ImageEncoder.encode(io.mambair.udfs.codec.DecodedImage.of(new PlanarImage(1, h, w, d), 8, "png"),
                "png", 95));
    }

    @Test
    void anOutOfMemoryErrorEndsTheTaskInsteadOfBecomingARow(@TempDir Path dir) throws Exception {
        PipelineFixture f = new PipelineFixture(dir, 2, "restore.tile-mode=whole");
        List<WorkItem> items = List.of(f.image("a.png", 12, 12, 1), f.image("b.png", 12, 12, 2));
        TileModel oom = (nchw, n, c, h, w) -> {
            throw new OutOfMemoryError("Java heap space");
        };
        Restorer r = new TiledRestorer(oom, f.ctx.model().config(), "oom", "standard");
        List<ImageRow> rows = new ArrayList<>();
        assertThrows(OutOfMemoryError.class, () -> f.pipeline(() -> r, 2).run(items, rows::add));
        assertEquals(List.of(), rows);
    }

    @Test
    void aRequestedGpuThatCannotStartEndsTheTaskInsteadOfFailingEveryImage(@TempDir Path dir) throws Exception {
        PipelineFixture f = new PipelineFixture(dir, 2, "restore.tile-mode=whole");
        List<WorkItem> items = List.of(f.image("a.png", 12, 12, 1), f.image("b.png", 12, 12, 2));
        List<ImageRow> rows = new ArrayList<>();
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> f.pipeline(() -> {
            throw new DeviceUnavailableException(Device.cuda(1), "no such device");
        }, 2).run(items, rows::add));
        assertTrue(e.getMessage().startsWith("device cuda:1 was requested"), e.getMessage());
        assertEquals(List.of(), rows);
    }

    @Test
    void aDeviceFaultEndsTheTaskInsteadOfAnErrorRowPerImage(@TempDir Path dir) throws Exception {
        PipelineFixture f = new PipelineFixture(dir, 2, "restore.tile-mode=whole");
        List<WorkItem> items = List.of(f.image("a.png", 12, 12, 1), f.image("b.png", 12, 12, 2), f.image("c.png", 12, 12, 3));
        TileModel faulting = (nchw, n, channels, height, width) -> {
            throw new DeviceFaultException("cuda:0", "CUDA failure 700: an illegal memory access was encountered");
        };
        Restorer r = new TiledRestorer(faulting, f.ctx.model().config(), "cuda:0", "fused");
        List<ImageRow> rows = new ArrayList<>();
        DeviceFaultException e = assertThrows(DeviceFaultException.class, () -> f.pipeline(() -> r, 2).run(items, rows::add));
        assertTrue(e.getMessage().startsWith("device fault on cuda:0: CUDA failure 700"), e.getMessage());
        assertEquals(List.of(), rows);
    }
}
