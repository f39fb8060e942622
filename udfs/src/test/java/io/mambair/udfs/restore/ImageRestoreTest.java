package io.mambair.udfs.restore;

import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.Restorer;
import io.mambair.runtime.restore.TileMode;
import io.mambair.runtime.testing.SharedData;
import io.mambair.udfs.codec.DecodedImage;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageRestoreTest {
    private static final RestoreOptions WHOLE = RestoreOptions.defaults().withTileMode(TileMode.WHOLE);

    private static PlanarImage random(int channels, int h, int w) {
        Random r = new Random(channels * 31L + h);
        float[] d = new float[channels * h * w];
        for (int i = 0; i < d.length; i++) d[i] = r.nextFloat();
        return new PlanarImage(channels, h, w, d);
    }

    private static Restorer restorer(String fixture) throws Exception {
        return SharedRuntime.get(ResolvedModel.resolve(SharedData.fixture(fixture).resolve("model.pth")), Device.cpu());
    }

    @Test
    void aGreyImageGoesToAColourModelAsThreeEqualPlanesAndItsAlphaIsUpscaled() throws Exception {
        Restorer colour = restorer("light_sr_x4");
        PlanarImage grey = random(1, 12, 15);
        PlanarImage alpha = PlanarImage.zeros(1, 12, 15);
        Arrays.fill(alpha.data(), 0.25f);
        DecodedImage out = ImageRestore.restore(new DecodedImage(grey, alpha, 8, "png"), colour, WHOLE);

        float[] planes = new float[3 * 12 * 15];
        for (int c = 0; c < 3; c++) System.arraycopy(grey.data(), 0, planes, c * grey.data().length, grey.data().length);
        assertArrayEquals(colour.restore(new PlanarImage(3, 12, 15, planes), WHOLE).data(), out.color().data());
        assertEquals(48, out.alpha().height());
        assertEquals(0.25f, out.alpha().get(0, 20, 30), 1f / 255);
        assertEquals(8, out.bitDepth());
    }

    @Test
    void aColourImageForAGreyModelIsRefusedAndNoAlphaStaysNoAlpha() throws Exception {
        Restorer grey = restorer("car_gray");
        DecodedImage rgb = DecodedImage.of(random(3, 24, 16), 8, "png");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageRestore.restore(rgb, grey, WHOLE));
        assertEquals("image has 3 colour channels, the model expects 1", e.getMessage());
        assertNull(ImageRestore.upscaledAlpha(rgb, 2));
    }
}
