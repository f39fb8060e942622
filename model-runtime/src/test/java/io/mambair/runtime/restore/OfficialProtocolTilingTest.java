package io.mambair.runtime.restore;

import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.npy.Npy;
import io.mambair.runtime.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code MambaIRModel.test()} tiling reproduced on the official protocol fixture (201x203, 2x2 tiles). */
class OfficialProtocolTilingTest {
    @Test
    void officialTileModeMatchesTheOfficialTiledOutput() throws Exception {
        Path dir = SharedData.fixture("protocol_light_sr_x2_tiled");
        ResolvedModel model = ResolvedModel.resolve(dir.resolve("model.pth"));
        Npy.FloatArray in = Npy.read(dir.resolve("input.npy"));
        long[] s = in.shape();
        PlanarImage out = SharedRuntime.get(model, Device.cpu())
                .restore(new PlanarImage((int) s[1], (int) s[2], (int) s[3], in.data()), RestoreOptions.defaults());
        Npy.FloatArray expected = Npy.read(dir.resolve("output.npy"));
        assertArrayEquals(expected.shape(), new long[] {1, out.channels(), out.height(), out.width()});
        float max = 0;
        for (int i = 0; i < out.data().length; i++) max = Math.max(max, Math.abs(out.data()[i] - expected.data()[i]));
        assertTrue(max <= 1e-4f, "max abs diff " + max);
    }
}
