package io.mambair.runtime.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** On an ONNX Runtime without CUDA: an explicit GPU is an error naming the reason, AUTO is the CPU. */
class DeviceSelectorTest {
    @BeforeEach
    void noCuda() {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "this ONNX Runtime has CUDA");
    }

    @Test
    void anExplicitGpuThatCannotStartIsAnErrorNamingDeviceAndReason() throws Exception {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> DeviceSelector.apply(options, Device.parse("cuda:1")));
            assertTrue(e.getMessage().startsWith("device cuda:1 was requested but cannot start: "), e.getMessage());
            assertTrue(e.getMessage().length() > "device cuda:1 was requested but cannot start: ".length() + 10, "a reason: " + e.getMessage());
        }
        assertThrows(DeviceUnavailableException.class, () -> DeviceSelector.requireStartable(Device.cuda(0)));
    }

    @Test
    void autoAndCpuRunOnTheCpu() throws Exception {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            assertEquals("cpu", DeviceSelector.apply(options, Device.auto()));
            assertEquals("cpu", DeviceSelector.apply(options, Device.auto(3)));
            assertEquals("cpu", DeviceSelector.apply(options, Device.cpu()));
        }
        assertDoesNotThrow(() -> DeviceSelector.requireStartable(Device.auto()));
    }
}
