package io.mambair.udfs.device;

import io.mambair.runtime.engine.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device of a task: Spark's assigned GPU keeps the configured policy (auto may fall back, an explicit GPU may not). */
class TaskDeviceTest {
    @Test
    void anAssignedGpuIsTriedUnderAutoAndRequiredUnderAnExplicitGpu() {
        Device auto = TaskDevice.choose("auto", "1");
        assertEquals(Device.auto(1), auto);
        assertFalse(auto.gpuRequired());
        Device explicit = TaskDevice.choose("cuda:0", " 1 ");
        assertEquals(Device.cuda(1), explicit);
        assertTrue(explicit.gpuRequired());
        assertEquals(Device.cpu(), TaskDevice.choose("cpu", "1"));
    }

    @Test
    void withoutAnAssignedGpuTheConfiguredDeviceStands() {
        assertEquals(Device.auto(), TaskDevice.choose("auto", null));
        assertEquals(Device.cuda(2), TaskDevice.choose("cuda:2", null));
    }

    @Test
    void requireAssignedGpuMakesTheAssignedGpuExplicitUnderAuto() {
        Device required = TaskDevice.choose("auto", "1", true);
        assertEquals(Device.cuda(1), required);
        assertTrue(required.gpuRequired());
        assertEquals(Device.auto(), TaskDevice.choose("auto", null, true), "no GPU assigned: nothing to require");
        assertEquals(Device.cpu(), TaskDevice.choose("cpu", "1", true));
    }

    @Test
    void aGpuAddressThatIsNotANumberFailsTheTaskNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TaskDevice.choose("auto", "GPU-7f3a", false));
        assertTrue(e.getMessage().startsWith("Spark assigned this task GPU address 'GPU-7f3a', which is not a CUDA device number"), e.getMessage());
        assertEquals(Device.cpu(), TaskDevice.choose("cpu", "GPU-7f3a", false), "a CPU run never reads the address");
    }
}
