package io.mambair.runtime.restore;

import io.mambair.runtime.arch.ModelConfig;
import io.mambair.runtime.image.PlanarImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TilingGeometryTest {
    static ModelConfig config(int scale, int channels) {
        return new ModelConfig(ModelConfig.Family.MAMBAIR, ModelConfig.Task.CLASSIC_SR, scale, channels, channels, 8,
                List.of(1), 0, 4, 2.0, ModelConfig.Upsampler.PIXELSHUFFLE, "1conv", 1.0, 0);
    }

    static PlanarImage random(int c, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) d[i] = r.nextFloat();
        return new PlanarImage(c, h, w, d);
    }

    @ParameterizedTest
    @CsvSource({"201,203,2", "450,199,3", "17,23,4", "401,600,1", "200,200,2"})
    void officialTilingOfAPixelLocalModelEqualsTheWholeImage(int h, int w, int scale) {
        PlanarImage img = random(3, h, w, h * 31L + w);
        TiledRestorer r = new TiledRestorer(new PixelLocalModel(scale), config(scale, 3), "test", "test");
        PlanarImage whole = r.restore(img, RestoreOptions.defaults().withTileMode(TileMode.WHOLE));
        PlanarImage tiled = r.restore(img, RestoreOptions.defaults().withTileMode(TileMode.OFFICIAL));
        assertEquals(h * scale, tiled.height());
        assertEquals(w * scale, tiled.width());
        assertArrayEquals(whole.data(), tiled.data());
    }

    @ParameterizedTest
    @CsvSource({"100,130,2,32,8", "64,64,2,64,16", "20,37,3,32,8", "129,257,1,64,16", "5,3,2,16,4"})
    void blendTilingOfAPixelLocalModelEqualsTheWholeImage(int h, int w, int scale, int tile, int overlap) {
        PlanarImage img = random(3, h, w, h * 17L + w);
        PixelLocalModel model = new PixelLocalModel(scale);
        TiledRestorer r = new TiledRestorer(model, config(scale, 3), "test", "test");
        PlanarImage whole = r.restore(img, RestoreOptions.defaults().withTileMode(TileMode.WHOLE));
        PlanarImage blended = r.restore(img, new RestoreOptions(TileMode.BLEND, tile, overlap, 4, false));
        assertEquals(whole.data().length, blended.data().length);
        for (int i = 0; i < whole.data().length; i++) assertEquals(whole.data()[i], blended.data()[i], 1e-5f);
    }

    @ParameterizedTest
    @CsvSource({"1", "3", "8"})
    void tilesOfDifferentImagesShareFixedSizeBatches(int batch) {
        PixelLocalModel model = new PixelLocalModel(2);
        TiledRestorer r = new TiledRestorer(model, config(2, 1), "test", "test");
        List<PlanarImage> imgs = List.of(random(1, 40, 50, 1), random(1, 33, 70, 2), random(1, 10, 10, 3));
        RestoreOptions o = new RestoreOptions(TileMode.BLEND, 16, 4, batch, false);
        List<PlanarImage> together = r.restoreAll(imgs, o);
        for (int i = 0; i < imgs.size(); i++) {
            assertArrayEquals(r.restore(imgs.get(i), o.withBatchSize(1)).data(), together.get(i).data());
        }
        assertEquals(batch, model.maxBatch);
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "2", "3", "4", "5", "6", "7"})
    void everySelfEnsembleTransformIsUndoneByItsInverse(int k) {
        PlanarImage img = random(3, 5, 7, k);
        PlanarImage t = SelfEnsemble.forward(img, k);
        assertEquals((k & 4) != 0 ? 7 : 5, t.height());
        assertArrayEquals(img.data(), SelfEnsemble.inverse(t, k).data());
    }
}
