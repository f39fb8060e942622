package io.mambair.udfs.sql;

import io.mambair.runtime.engine.Device;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/** The device for work inside a Spark task: the GPU Spark assigned to the task when the request allows it. */
public final class TaskDevice {
    private TaskDevice() {}

    /** {@code requested} unless it is AUTO or CUDA and the task holds a GPU, which then decides the ordinal. */
    public static Device resolve(Device requested) {
        if (requested.kind() == Device.Kind.CPU) return requested;
        TaskContext tc = TaskContext.get();
        ResourceInformation gpu = tc == null ? null : tc.resourcesJMap().get("gpu");
        if (gpu == null || gpu.addresses().length == 0) return requested;
        try {
            return Device.cuda(Integer.parseInt(gpu.addresses()[0].trim()));
        } catch (NumberFormatException e) {
            return requested;
        }
    }
}
