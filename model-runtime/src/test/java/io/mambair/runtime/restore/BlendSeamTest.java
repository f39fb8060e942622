package io.mambair.runtime.restore;

import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.testing.SharedData;
import io.mambair.runtime.testing.Slow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blend tiling on a real photo with a fixture model: the difference to a whole-image forward must be
 * no larger near tile borders (2-px band) than inside tiles (ratio at most 1.5), i.e. no visible seams.
 */
@Slow
class BlendSeamTest {
    static PlanarImage photoCrop(String name, int y0, int x0, int h, int w) throws Exception {
        Path p = SharedData.require("data/photos/" + name);
        BufferedImage bi = ImageIO.read(p.toFile());
        PlanarImage out = PlanarImage.zeros(3, h, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = bi.getRGB(x0 + x, y0 + y);
                out.set(0, y, x, ((rgb >> 16) & 0xff) / 255f);
                out.set(1, y, x, ((rgb >> 8) & 0xff) / 255f);
                out.set(2, y, x, (rgb & 0xff) / 255f);
            }
        }
        return out;
    }

    private static ResolvedModel model;
    private static PlanarImage img;
    private static PlanarImage whole;

    @BeforeAll
    static void wholeImageForward() throws Exception {
        if (!SharedData.exists("data/photos/skimage_astronaut.png")) return;  // each test then reports it missing
        model = ResolvedModel.resolve(SharedData.fixture("protocol_light_sr_x2_tiled").resolve("model.pth"));
        img = photoCrop("skimage_astronaut.png", 20, 100, 280, 300);
        whole = SharedRuntime.get(model, Device.cpu()).restore(img, RestoreOptions.defaults().withTileMode(TileMode.WHOLE));
    }

    @BeforeEach
    void requirePhoto() {
        SharedData.require("data/photos/skimage_astronaut.png");
    }

    @ParameterizedTest(name = "tile {0}, overlap {1}")
    @CsvSource({"64,8", "64,16", "64,32", "128,8", "128,16", "128,32"})
    void blendHasNoSeamsAgainstTheWholeImageForward(int tile, int overlap) {
        Restorer r = SharedRuntime.get(model, Device.cpu());
        PlanarImage blend = r.restore(img, new RestoreOptions(TileMode.BLEND, tile, overlap, 4, false));
        int s = model.scale();
        boolean[] borderY = borders(img.height(), tile, overlap, s);
        boolean[] borderX = borders(img.width(), tile, overlap, s);
        double band = 0, inner = 0, mse = 0;
        long nBand = 0, nInner = 0;
        for (int c = 0; c < whole.channels(); c++) {
            for (int y = 0; y < whole.height(); y++) {
                for (int x = 0; x < whole.width(); x++) {
                    double d = Math.abs(whole.get(c, y, x) - blend.get(c, y, x));
                    mse += d * d;
                    if (borderY[y] || borderX[x]) { band += d; nBand++; } else { inner += d; nInner++; }
                }
            }
        }
        double ratio = (band / nBand) / (inner / nInner);
        double psnr = 10 * Math.log10(1 / (mse / whole.data().length));
        System.out.printf("blend tile %d overlap %d on a %dx%d photo crop: PSNR(blend vs whole) %.2f dB, border/interior mean |diff| %.3f%n",
                tile, overlap, img.height(), img.width(), psnr, ratio);
        assertTrue(ratio <= 1.5, "border band differs " + ratio + "x more than tile interiors");
    }

    /** Output rows/columns within 2 px of a tile edge that lies inside the image. */
    static boolean[] borders(int size, int tile, int overlap, int scale) {
        boolean[] b = new boolean[size * scale];
        for (int start : BlendPlan.starts(size, tile, overlap)) {
            for (int edge : new int[] {start * scale, (start + tile) * scale}) {
                if (edge <= 0 || edge >= size * scale) continue;
                for (int i = Math.max(0, edge - 2); i < Math.min(b.length, edge + 2); i++) b[i] = true;
            }
        }
        return b;
    }
}
