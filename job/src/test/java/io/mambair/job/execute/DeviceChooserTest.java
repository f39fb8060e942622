package io.mambair.job.execute;

import io.mambair.runtime.engine.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device of a task: Spark's assigned GPU keeps the configured policy (auto may fall back, an explicit GPU may not). */
class DeviceChooserTest {
    @Test
    void anAssignedGpuIsTriedUnderAutoAndRequiredUnderAnExplicitGpu() {
        Device auto = DeviceChooser.choose("auto", "1");
        assertEquals(Device.auto(1), auto);
        assertFalse(auto.gpuRequired());
        Device explicit = DeviceChooser.choose("cuda:0", " 1 ");
        assertEquals(Device.cuda(1), explicit);
        assertTrue(explicit.gpuRequired());
        assertEquals(Device.cpu(), DeviceChooser.choose("cpu", "1"));
    }

    @Test
    void withoutAnAssignedGpuTheConfiguredDeviceStands() {
        assertEquals(Device.auto(), DeviceChooser.choose("auto", null));
        assertEquals(Device.cuda(2), DeviceChooser.choose("cuda:2", null));
    }

    @Test
    void requireAssignedGpuMakesTheAssignedGpuExplicitUnderAuto() {
        Device required = DeviceChooser.choose("auto", "1", true);
        assertEquals(Device.cuda(1), required);
        assertTrue(required.gpuRequired());
        assertEquals(Device.auto(), DeviceChooser.choose("auto", null, true), "no GPU assigned: nothing to require");
        assertEquals(Device.cpu(), DeviceChooser.choose("cpu", "1", true));
    }
}
