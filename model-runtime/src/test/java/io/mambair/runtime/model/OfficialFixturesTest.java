package io.mambair.runtime.model;

import io.mambair.runtime.cli.ConvertCommand;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.graph.ScanFormulation;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.npy.Npy;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.TileMode;
import io.mambair.runtime.testing.SharedData;
import io.mambair.runtime.testing.TestRequirements;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official PyTorch outputs of every fixture case, reproduced from the released checkpoint format. */
class OfficialFixturesTest {
    static final List<String> CASES = List.of("classic_sr_x2", "light_sr_x4", "color_dn", "car_gray", "real_dn_unet");

    static Stream<Arguments> casesAndScans() {
        List<Arguments> a = new ArrayList<>();
        for (String c : CASES) {
            a.add(Arguments.of(c, ScanFormulation.STANDARD));
            a.add(Arguments.of(c, ScanFormulation.FUSED));
        }
        return a.stream();
    }

    static float maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    static PlanarImage restoreWhole(ResolvedModel model, Path npy) throws Exception {
        Npy.FloatArray in = Npy.read(npy);
        long[] s = in.shape();
        PlanarImage img = new PlanarImage((int) s[1], (int) s[2], (int) s[3], in.data());
        return SharedRuntime.get(model, Device.cpu()).restore(img, RestoreOptions.defaults().withTileMode(TileMode.WHOLE));
    }

    @ParameterizedTest
    @MethodSource("casesAndScans")
    void wholeImageRestoreMatchesTheOfficialOutput(String fixture, ScanFormulation scan) throws Exception {
        TestRequirements.requireScan(scan);
        Path dir = SharedData.fixture(fixture);
        ResolvedModel model = ResolvedModel.resolve(dir.resolve("model.pth"), scan);
        PlanarImage out = restoreWhole(model, dir.resolve("input.npy"));
        Npy.FloatArray expected = Npy.read(dir.resolve("output.npy"));
        assertArrayEquals(expected.shape(), new long[] {1, out.channels(), out.height(), out.width()});
        float diff = maxAbsDiff(expected.data(), out.data());
        assertTrue(diff <= 1e-4f, fixture + " " + scan + ": max abs diff " + diff);
    }

    @ParameterizedTest
    @MethodSource("casesAndScans")
    void aConvertedOnnxFileRestoresTheSameAsItsCheckpoint(String fixture, ScanFormulation scan, @TempDir Path tmp) throws Exception {
        TestRequirements.requireScan(scan);
        Path dir = SharedData.fixture(fixture);
        Path onnx = tmp.resolve(fixture + ".onnx");
        int rc = new CommandLine(new ConvertCommand()).execute("--model", dir.resolve("model.pth").toString(),
                "--output", onnx.toString(), "--scan", scan.name().toLowerCase());
        assertEquals(0, rc);
        ResolvedModel model = ResolvedModel.resolve(onnx);
        assertEquals(java.util.Set.of(scan), model.scans());
        PlanarImage out = restoreWhole(model, dir.resolve("input.npy"));
        float diff = maxAbsDiff(Npy.read(dir.resolve("output.npy")).data(), out.data());
        assertTrue(diff <= 1e-4f, fixture + " via .onnx: max abs diff " + diff);
    }
}
