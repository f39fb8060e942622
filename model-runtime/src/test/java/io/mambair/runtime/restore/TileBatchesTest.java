package io.mambair.runtime.restore;

import io.mambair.runtime.image.PlanarImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TileBatchesTest {
    /** Records the batches a restore really runs: the largest n x h x w and the tiles computed. */
    private static final class RecordingModel implements TileModel {
        final PixelLocalModel inner;
        long largest;
        long tiles;

        RecordingModel(int scale) { inner = new PixelLocalModel(scale); }

        @Override
        public float[] run(float[] nchw, int n, int channels, int height, int width) {
            largest = Math.max(largest, (long) n * height * width);
            tiles += n;
            return inner.run(nchw, n, channels, height, width);
        }
    }

    @ParameterizedTest(name = "{0} batch {1} ensemble {2} multiple {3}")
    @CsvSource({"whole,1,false,1", "whole,8,false,1", "whole,8,true,1", "whole,3,false,8", "blend,1,false,1", "blend,6,false,1",
            "blend,4,true,8", "official,1,false,1", "official,4,false,1", "official,16,true,1", "official,5,false,8"})
    void predictsTheLargestBatchTheRestoreRuns(String mode, int batch, boolean ensemble, int multiple) {
        Random rnd = new Random(mode.hashCode() * 31L + batch);
        List<PlanarImage> images = new ArrayList<>();
        List<TileBatches.Size> sizes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // repeated sizes, so whole images and official cells of different images can share batches
            int h = i % 2 == 0 ? 37 : 10 + rnd.nextInt(420);
            int w = i % 2 == 0 ? 23 : 10 + rnd.nextInt(420);
            images.add(TilingGeometryTest.random(1, h, w, i));
            sizes.add(new TileBatches.Size(h, w));
        }
        RestoreOptions o = new RestoreOptions(TileMode.parse(mode), 32, 8, batch, ensemble);
        RecordingModel model = new RecordingModel(2);
        new TiledRestorer(model, config(multiple), "test", "standard").restoreAll(images, o);
        assertEquals(model.largest, TileBatches.largestBatchPixels(sizes, o, multiple));
    }

    @ParameterizedTest
    @CsvSource({"whole,8", "blend,5", "official,3"})
    void aShortBatchRunsAtItsTrueSizeWithResultsOfBatchOne(String mode, int batch) {
        List<PlanarImage> images = List.of(TilingGeometryTest.random(3, 41, 29, 1), TilingGeometryTest.random(3, 230, 61, 2));
        RestoreOptions o = new RestoreOptions(TileMode.parse(mode), 32, 8, batch, false);
        RecordingModel batched = new RecordingModel(2);
        RecordingModel single = new RecordingModel(2);
        List<PlanarImage> together = new TiledRestorer(batched, TilingGeometryTest.config(2, 3), "test", "standard").restoreAll(images, o);
        TiledRestorer one = new TiledRestorer(single, TilingGeometryTest.config(2, 3), "test", "standard");
        for (int i = 0; i < images.size(); i++) assertArrayEquals(one.restore(images.get(i), o.withBatchSize(1)).data(), together.get(i).data());
        assertEquals(single.tiles, batched.tiles, "no tile computed twice");
    }

    private static io.mambair.runtime.arch.ModelConfig config(int sizeMultiple) {
        io.mambair.runtime.arch.ModelConfig c = TilingGeometryTest.config(2, 1);
        if (sizeMultiple == 1) return c;
        return new io.mambair.runtime.arch.ModelConfig(io.mambair.runtime.arch.ModelConfig.Family.UNET, c.task(), c.scale(), 1, 1, 8,
                List.of(1), 0, 4, 2.0, io.mambair.runtime.arch.ModelConfig.Upsampler.PIXELSHUFFLE, "1conv", 1.0, 0);
    }
}
