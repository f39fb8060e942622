package io.mambair.runtime.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.TileMode;
import io.mambair.runtime.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvertCommandTest {
    @Test
    void aFixedTileGraphHasStaticHeightAndWidthAndRestoresLikeTheSymbolicOne(@TempDir Path tmp) throws Exception {
        Path pth = SharedData.fixture("light_sr_x4").resolve("model.pth");
        Path fixed = tmp.resolve("fixed.onnx");
        assertEquals(0, CommandErrors.commandLine(new ConvertCommand()).execute(
                "--model", pth.toString(), "--output", fixed.toString(), "--tile", "24x24"));
        List<TensorShapeProto.Dimension> dims = ModelProto.parseFrom(Files.readAllBytes(fixed)).getGraph().getInput(0)
                .getType().getTensorType().getShape().getDimList();
        assertEquals("batch", dims.get(0).getDimParam());
        assertEquals(24, dims.get(2).getDimValue());
        assertEquals(24, dims.get(3).getDimValue());

        Random r = new Random(5);
        float[] data = new float[3 * 40 * 50];
        for (int i = 0; i < data.length; i++) data[i] = r.nextFloat();
        PlanarImage img = new PlanarImage(3, 40, 50, data);
        RestoreOptions blend = new RestoreOptions(TileMode.BLEND, 24, 6, 2, false);
        float[] a = SharedRuntime.get(ResolvedModel.resolve(fixed), Device.cpu()).restore(img, blend).data();
        float[] b = SharedRuntime.get(ResolvedModel.resolve(pth), Device.cpu()).restore(img, blend).data();
        float max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        assertTrue(max <= 1e-5f, "max abs diff " + max);
    }

    @Test
    void aMalformedTileIsAOneLineError(@TempDir Path tmp) {
        Path pth = SharedData.fixture("light_sr_x4").resolve("model.pth");
        Path out = tmp.resolve("x.onnx");
        assertEquals(1, CommandErrors.commandLine(new ConvertCommand()).execute(
                "--model", pth.toString(), "--output", out.toString(), "--tile", "24"));
        assertTrue(Files.notExists(out));
    }
}
