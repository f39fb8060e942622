package io.mambair.job.outcome;

import io.mambair.job.execute.TaskReport;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The summary line of where images ran when Spark assigned GPUs to the run's tasks: images per device, and a warning
 * when some ran on the CPU (a GPU that did not start, e.g. CUDA 12 / cuDNN 9 missing on the node), which would
 * otherwise show only at INFO in an executor log.
 */
public final class DeviceUse {
    private DeviceUse() {}

    /** The line, or empty when no task was assigned a GPU (a CPU run says nothing). */
    public static Optional<String> line(List<TaskReport> reports) {
        Map<String, Long> images = new TreeMap<>();
        boolean assigned = false;
        for (TaskReport r : reports) {
            if (r.gpuAddress() == null) continue;
            assigned = true;
            long restored = r.ok() + r.error();
            if (restored > 0 && r.device() != null) images.merge(r.device(), restored, Long::sum);
        }
        if (!assigned) return Optional.empty();
        String counts = images.isEmpty() ? "no images restored"
                : images.entrySet().stream().map(e -> e.getValue() + " on " + e.getKey()).collect(Collectors.joining(", "));
        Long cpu = images.get("cpu");
        return Optional.of("  devices (Spark assigned GPUs): " + counts + (cpu == null ? ""
                : "; WARNING: " + cpu + " images ran on the CPU because their GPU did not start (executor logs say why;"
                + " restore.require-assigned-gpu = true fails such tasks instead)"));
    }
}
