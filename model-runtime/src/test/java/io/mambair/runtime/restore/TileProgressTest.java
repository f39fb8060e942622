package io.mambair.runtime.restore;

import io.mambair.runtime.image.PlanarImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tile-progress hook: one report per model batch, adding up to exactly the output pixels, whatever the tiling. */
class TileProgressTest {
    private static PlanarImage image(int h, int w, long seed) {
        Random r = new Random(seed);
        float[] d = new float[3 * h * w];
        for (int i = 0; i < d.length; i++) d[i] = r.nextFloat();
        return new PlanarImage(3, h, w, d);
    }

    @ParameterizedTest
    @EnumSource(TileMode.class)
    void reportsAddUpToTheOutputPixelsOncePerBatchAndLeaveTheResultUnchanged(TileMode mode) {
        int scale = 2;
        List<PlanarImage> images = List.of(image(70, 45, 1), image(33, 90, 2));
        for (boolean ensemble : new boolean[] {false, true}) {
            RestoreOptions options = new RestoreOptions(mode, 24, 6, 3, ensemble);
            PixelLocalModel model = new PixelLocalModel(scale);
            List<Long> reports = new ArrayList<>();
            TiledRestorer plain = new TiledRestorer(new PixelLocalModel(scale), TilingGeometryTest.config(scale, 3), "test", "standard");
            Restorer watched = new TiledRestorer(model, TilingGeometryTest.config(scale, 3), "test", "standard").withTileProgress(reports::add);
            List<PlanarImage> out = watched.restoreAll(images, options);

            long expected = images.stream().mapToLong(i -> i.pixels() * scale * scale).sum();
            assertEquals(expected, reports.stream().mapToLong(Long::longValue).sum(), mode + " ensemble=" + ensemble);
            assertEquals(model.calls, reports.size(), "one report per model batch");
            assertTrue(reports.stream().allMatch(p -> p > 0), reports.toString());
            List<PlanarImage> reference = plain.restoreAll(images, options);
            for (int i = 0; i < images.size(); i++) assertArrayEquals(reference.get(i).data(), out.get(i).data());
        }
    }
}
