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
import io.mambair.udfs.codec.ImageFiles;
import io.mambair.udfs.resize.Crop;
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
    void aGreyPhotoGoesToAColourModelAsThreeEqualPlanesAndComesBackGreyWithItsAlphaUpscaled() throws Exception {
        Restorer colour = restorer("light_sr_x4");
        DecodedImage photo = ImageFiles.read(SharedData.require("data/photos/skimage_camera.png"), 1 << 20);
        assertEquals(1, photo.color().channels(), "a grey PNG");
        PlanarImage grey = Crop.topLeft(photo.color(), 20, 24);
        PlanarImage alpha = PlanarImage.zeros(1, 20, 24);
        Arrays.fill(alpha.data(), 0.25f);
        DecodedImage out = ImageRestore.restore(new DecodedImage(grey, alpha, 8, "png"), colour, WHOLE);

        int n = grey.data().length;
        float[] planes = new float[3 * n];
        for (int c = 0; c < 3; c++) System.arraycopy(grey.data(), 0, planes, c * n, n);
        PlanarImage model = colour.restore(new PlanarImage(3, 20, 24, planes), WHOLE);
        assertEquals(1, out.color().channels(), "grey in, grey out");
        int m = model.height() * model.width();
        for (int i = 0; i < m; i++) {
            // Real-ESRGAN: clamp the float output to [0, 1], then cv2.cvtColor(BGR2GRAY) = .299 R + .587 G + .114 B
            double y = 0.299 * clamp(model.data()[i]) + 0.587 * clamp(model.data()[m + i]) + 0.114 * clamp(model.data()[2 * m + i]);
            assertEquals(y, out.color().data()[i], 1e-6, "pixel " + i);
        }
        assertEquals(80, out.alpha().height());
        assertEquals(0.25f, out.alpha().get(0, 20, 30), 1f / 255);
        assertEquals(8, out.bitDepth());
    }

    @Test
    void aColourImageKeepsTheModelsOutput() throws Exception {
        Restorer colour = restorer("light_sr_x4");
        PlanarImage rgb = random(3, 12, 10);
        DecodedImage out = ImageRestore.restore(DecodedImage.of(rgb, 8, "png"), colour, WHOLE);
        assertArrayEquals(colour.restore(rgb, WHOLE).data(), out.color().data());
    }

    private static double clamp(double v) {
        return Math.min(1, Math.max(0, v));
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
