package io.mambair.runtime.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
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
    void theDefaultGraphUsesStandardOperatorsOnlyAndLoadsWithoutThisLibrarysOperator(@TempDir Path tmp) throws Exception {
        Path pth = SharedData.fixture("light_sr_x4").resolve("model.pth");
        Path portable = tmp.resolve("portable.onnx");
        String line = convert("--model", pth.toString(), "--output", portable.toString());
        assertTrue(line.contains("scan standard: standard ONNX operators only"), line);
        ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(portable));
        assertTrue(proto.getGraph().getNodeList().stream().allMatch(n -> n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")),
                "only default-domain operators");
        assertTrue(proto.getOpsetImportList().stream().noneMatch(o -> o.getDomain().equals("io.mambair")));
        try (OrtSession.SessionOptions plain = new OrtSession.SessionOptions();
             OrtSession session = OrtEnvironment.getEnvironment().createSession(Files.readAllBytes(portable), plain)) {
            assertEquals(1, session.getInputNames().size(), "a plain ONNX Runtime session, no custom operator library, loads it");
        }
    }

    @Test
    void theFusedGraphIsOptInAndSaysItNeedsThisLibrarysOperator(@TempDir Path tmp) throws Exception {
        Path pth = SharedData.fixture("light_sr_x4").resolve("model.pth");
        Path fused = tmp.resolve("fused.onnx");
        String line = convert("--model", pth.toString(), "--output", fused.toString(), "--scan", "fused");
        assertTrue(line.contains("scan fused: needs this library's custom operator io.mambair:SelectiveScan2D"), line);
        assertTrue(ModelProto.parseFrom(Files.readAllBytes(fused)).getGraph().getNodeList().stream()
                .anyMatch(n -> n.getDomain().equals("io.mambair") && n.getOpType().equals("SelectiveScan2D")));
    }

    private static String convert(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, CommandErrors.commandLine(new ConvertCommand()).execute(args));
        } finally {
            System.setOut(saved);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
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
