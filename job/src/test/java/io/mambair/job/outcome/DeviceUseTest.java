package io.mambair.job.outcome;

import io.mambair.job.execute.TaskReport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary's device line: images per device when Spark assigned GPUs, and a warning for the CPU ones. */
class DeviceUseTest {
    private static TaskReport task(String gpu, String device, long ok, long error, long skipped) {
        return new TaskReport(0, "1", gpu, device, 1, ok, error, skipped, 0, 0, 0);
    }

    @Test
    void withoutAssignedGpusNothingIsSaid() {
        assertEquals(Optional.empty(), DeviceUse.line(List.of(task(null, "cpu", 5, 0, 0), task(null, "cuda:0", 3, 0, 0))));
    }

    @Test
    void assignedGpusCountImagesPerDeviceAndWarnWhenSomeRanOnTheCpu() {
        String line = DeviceUse.line(List.of(task("0", "cuda:0", 4, 1, 7), task("1", "cpu", 2, 0, 0), task("1", "cpu", 3, 0, 0),
                task("0", null, 0, 0, 9))).orElseThrow();
        assertTrue(line.startsWith("  devices (Spark assigned GPUs): 5 on cpu, 5 on cuda:0; WARNING: 5 images ran on the CPU"), line);
        assertTrue(line.contains("restore.require-assigned-gpu = true"), line);
    }

    @Test
    void allOnTheGpuIsOneQuietLine() {
        assertEquals(Optional.of("  devices (Spark assigned GPUs): 6 on cuda:0, 2 on cuda:1"),
                DeviceUse.line(List.of(task("0", "cuda:0", 6, 0, 0), task("1", "cuda:1", 1, 1, 0))));
    }
}
