package io.mambair.udfs.device;

import io.mambair.runtime.engine.Device;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

import java.util.Map;

/**
 * Picks the device a task restores on, for the job and the SQL functions alike: the GPU Spark assigned to the task (task resources
 * {@code gpu}), unless the configuration says {@code cpu}; with no GPU assigned, the configured device
 * ({@code auto} lets the runtime try GPU 0). Under {@code auto} the runtime falls back to the CPU when the
 * GPU cannot start (said once at INFO; the driver's summary counts the images per device); an explicit
 * {@code cuda[:N]}, or an assigned GPU under {@code restore.require-assigned-gpu}, that cannot start fails the task.
 */
public final class TaskDevice {
    private TaskDevice() {}

    /** The GPU address Spark assigned to the running task, or null when none (local mode, CPU clusters). */
    public static String assignedGpu() {
        TaskContext tc = TaskContext.get();
        if (tc == null) return null;
        Map<String, ResourceInformation> res = tc.resourcesJMap();
        ResourceInformation gpu = res == null ? null : res.get("gpu");
        return gpu == null || gpu.addresses().length == 0 ? null : gpu.addresses()[0];
    }

    /** The device for {@code configured} ("auto", "cpu", "cuda", "cuda:N") given the assigned GPU address. */
    public static Device choose(String configured, String assignedGpu) {
        return choose(configured, assignedGpu, false);
    }

    /**
     * As {@link #choose(String, String)}; with {@code requireAssigned} ({@code restore.require-assigned-gpu}) an
     * assigned GPU is explicit under {@code auto} too, so a GPU that cannot start fails the task instead of a CPU run.
     */
    public static Device choose(String configured, String assignedGpu, boolean requireAssigned) {
        return choose(Device.parse(configured), assignedGpu, requireAssigned);
    }

    /** As {@link #choose(String, String, boolean)} for a parsed device. */
    public static Device choose(Device requested, String assignedGpu, boolean requireAssigned) {
        if (requested.kind() == Device.Kind.CPU || assignedGpu == null) return requested;
        int gpu;
        try {
            gpu = Integer.parseInt(assignedGpu.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Spark assigned this task GPU address '" + assignedGpu + "', which is not a CUDA device"
                    + " number: the cluster's GPU discovery script must print numeric addresses (deploy/gpu/getGpusResources.sh)");
        }
        return requested.gpuRequired() || requireAssigned ? Device.cuda(gpu) : Device.auto(gpu);
    }

    /** The device for {@code requested} in the running task (the SQL functions): {@link #choose} with its assigned GPU. */
    public static Device forTask(Device requested) {
        return choose(requested, assignedGpu(), false);
    }
}
