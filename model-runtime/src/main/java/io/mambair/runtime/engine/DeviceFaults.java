package io.mambair.runtime.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Device faults of this process: which ONNX Runtime errors are one (the CUDA driver's sticky errors, as this library's
 * CUDA operator or ONNX Runtime's CUDA provider word them), and the first fault each GPU had. The CUDA documentation
 * says a context with a sticky error stays unusable until the process ends, so AUTO sessions built after a fault on
 * that GPU run on the CPU (one WARN); an explicit GPU is tried again.
 */
public final class DeviceFaults {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceFaults.class);
    // this library's prefix (cuda_driver.cc, cuda_describe); ORT's CUDA_CALL ("CUDA failure 700: ...") and
    // CUDA_RETURN_IF_ERROR ("CUDA error cudaErrorIllegalAddress:...") with the sticky codes of cuda_sticky()
    private static final Pattern FAULT = Pattern.compile("CUDA device fault: "
            + "|CUDA failure (214|700|702|710|714|715|716|717|718|719)\\b"
            + "|cudaError(ECCUncorrectable|IllegalAddress|LaunchTimeout|Assert|HardwareStackError|IllegalInstruction"
            + "|MisalignedAddress|InvalidAddressSpace|InvalidPc|LaunchFailure)\\b");
    private static final Map<String, String> FIRST = new ConcurrentHashMap<>();

    private DeviceFaults() {}

    /** True when an ONNX Runtime error message reports a device fault. */
    public static boolean isFault(String message) {
        return message != null && FAULT.matcher(message).find();
    }

    /** Records a fault of {@code device} ("cuda:N"); the first one per device is kept and logged at ERROR. */
    static void record(String device, String reason) {
        if (FIRST.putIfAbsent(device, reason) == null) LOG.error("device fault on {}: {}", device, reason);
    }

    /** The first fault {@code device} ("cuda:N") had in this process; empty when none. */
    public static Optional<String> of(String device) {
        return Optional.ofNullable(FIRST.get(device));
    }
}
