package io.mambair.udfs.resize;

import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.testing.SharedData;
import io.mambair.udfs.codec.ImageFiles;
import io.mambair.udfs.codec.Quantizer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float variant against BasicSR's {@code matlab_functions.imresize}, which made the LR input of the
 * official protocol fixture ({@code round(255 * clip(imresize(gt / 255, 1/2)))}, per its config.json).
 * (The uint8 variant is checked byte for byte against the MATLAB Set5 files in the degrade tests.)
 */
class MatlabImresizeTest {

    @Test
    void floatDownscalingReproducesTheOfficialFixtureInputUpToFloat32Ties() throws IOException {
        Path dir = SharedData.fixture("protocol_light_sr_x2_tiled");
        PlanarImage gt = ImageFiles.read(dir.resolve("gt.png"), 1 << 24).color();
        PlanarImage official = ImageFiles.read(dir.resolve("input.png"), 1 << 24).color();
        PlanarImage ours = MatlabImresize.resize(gt, 0.5, SampleType.FLOAT);
        assertEquals(official.height(), ours.height());
        assertEquals(official.width(), ours.width());
        int differing = 0;
        for (int i = 0; i < ours.data().length; i++) {
            int d = Math.abs(Quantizer.level(ours.data()[i], 255) - Quantizer.level(official.data()[i], 255));
            assertTrue(d <= 1, "sample " + i + " differs by " + d + " levels");
            if (d != 0) differing++;
        }
        // BasicSR computes in float32 and we in float64: a value within float32 noise of a .5 tie may round the other way.
        assertTrue(differing <= ours.data().length / 10_000, differing + " of " + ours.data().length + " samples differ");
    }

    @Test
    void outputSizeIsCeilOfScaleTimesSize() {
        PlanarImage img = PlanarImage.zeros(1, 85, 7);
        PlanarImage up = MatlabImresize.resize(img, 3, SampleType.UINT8);
        assertEquals(255, up.height());
        assertEquals(21, up.width());
        assertEquals(3, MatlabImresize.resize(img, 1.0 / 3, SampleType.UINT8).width());
        assertThrows(IllegalArgumentException.class, () -> MatlabImresize.resize(img, 0, SampleType.FLOAT));
    }
}
