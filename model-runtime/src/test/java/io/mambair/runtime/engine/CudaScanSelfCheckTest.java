package io.mambair.runtime.engine;

import io.mambair.runtime.scan.FusedScanLibrary;
import io.mambair.runtime.testing.TestRequirements;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CUDA operator's self-test: its comparison with the CPU operator, and its verdict where no GPU starts. */
class CudaScanSelfCheckTest {
    @Test
    void passesWithinTheToleranceOfTheOutputScaleAndFailsBeyondItOrOnNaN() {
        float[] cpu = {1f, -2f, 0.5f, 4f};
        assertEquals(CudaScanSelfCheck.Verdict.PASSED, CudaScanSelfCheck.compare(new float[] {1f, -2f, 0.5f, 4.0003f}, cpu).verdict());
        CudaScanSelfCheck.Result off = CudaScanSelfCheck.compare(new float[] {1f, -2f, 0.5f, 4.01f}, cpu);
        assertEquals(CudaScanSelfCheck.Verdict.FAILED, off.verdict());
        assertTrue(off.reason().contains("differs from the CPU operator by 0.00250 of the output scale"), off.reason());
        assertEquals(CudaScanSelfCheck.Verdict.FAILED, CudaScanSelfCheck.compare(new float[] {1f, Float.NaN, 0.5f, 4f}, cpu).verdict());
        assertEquals(CudaScanSelfCheck.Verdict.FAILED, CudaScanSelfCheck.compare(new float[] {1f}, cpu).verdict());
    }

    @Test
    void whereTheCudaProviderDoesNotStartTheVerdictIsNoGpuSoTheCpuKeepsTheFusedScan() {
        TestRequirements.require(FusedScanLibrary.path().isPresent(), "no fused library is built for this platform");
        try (var options = new ai.onnxruntime.OrtSession.SessionOptions()) {
            TestRequirements.require(DeviceSelector.apply(options, Device.auto()).equals("cpu"),
                    "a machine whose ONNX Runtime has no usable CUDA provider (this one starts one)");
        }
        CudaScanSelfCheck.Result r = CudaScanSelfCheck.run(Device.auto());
        assertEquals(CudaScanSelfCheck.Verdict.NO_GPU, r.verdict(), r.reason());
        assertEquals(io.mambair.runtime.graph.ScanFormulation.FUSED,
                ScanChoice.choose(java.util.EnumSet.allOf(io.mambair.runtime.graph.ScanFormulation.class), ScanMode.AUTO, Device.auto()));
    }
}
