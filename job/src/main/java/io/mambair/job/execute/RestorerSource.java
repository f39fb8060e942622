package io.mambair.job.execute;

import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.Restorer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor-wide restorer for a device: {@link SharedRuntime} builds one session per model and
 * device per JVM, shared by all task threads. A GPU that cannot be used (no CUDA libraries, no
 * device) is remembered and the CPU is used instead, with one warning per JVM and device.
 */
public final class RestorerSource {
    private static final Logger LOG = LoggerFactory.getLogger(RestorerSource.class);
    private static final Set<Device> UNUSABLE = ConcurrentHashMap.newKeySet();

    private RestorerSource() {}

    /** The restorer for {@code model} on {@code device}, or on the CPU when that device is unusable here. */
    public static Restorer get(ResolvedModel model, Device device) {
        if (device.kind() != Device.Kind.CPU && !UNUSABLE.contains(device)) {
            try {
                return SharedRuntime.get(model, device);
            } catch (RuntimeException e) {
                if (UNUSABLE.add(device)) LOG.warn("device {} unusable in this executor ({}); restoring on the CPU", device, e.toString());
            }
        }
        return SharedRuntime.get(model, Device.cpu());
    }
}
