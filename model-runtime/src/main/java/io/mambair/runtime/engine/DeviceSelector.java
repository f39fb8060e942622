package io.mambair.runtime.engine;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adds the requested device's execution provider, with its CUDA settings, to session options. CUDA is tried by adding its provider
 * (never decided from the compiled-in provider list): an explicit GPU that cannot start is a
 * {@link DeviceUnavailableException}; AUTO then uses the CPU. What AUTO chose and why is said once per JVM, at INFO.
 */
public final class DeviceSelector {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceSelector.class);
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private DeviceSelector() {}

    /** Throws {@link DeviceUnavailableException} when {@code device} is an explicit GPU that cannot start in this process. */
    public static void requireStartable(Device device) {
        if (!device.gpuRequired()) return;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            apply(options, device);
        }
    }

    /** Adds the provider for {@code requested} to {@code options}; returns the device sessions will run on ("cpu", "cuda:N"). */
    static String apply(OrtSession.SessionOptions options, Device requested) {
        if (!requested.wantsCuda()) return "cpu";
        String cuda = "cuda:" + requested.ordinal();
        // ORT copies the provider options into the session options: closed once added
        try (OrtCUDAProviderOptions provider = new OrtCUDAProviderOptions(requested.ordinal())) {
            for (Map.Entry<String, String> option : requested.cuda().providerOptions().entrySet()) {
                provider.add(option.getKey(), option.getValue());
            }
            options.addCUDA(provider);
        } catch (OrtException | RuntimeException e) {
            String reason = firstLine(e.getMessage());
            if (requested.gpuRequired()) throw new DeviceUnavailableException(requested, reason);
            sayOnce("device auto: cpu (" + cuda + " did not start: " + reason + ")");
            return "cpu";
        }
        sayOnce("device auto: " + cuda + " (its CUDA provider started)");
        return cuda;
    }

    private static void sayOnce(String message) {
        if (SAID.add(message)) LOG.info(message);
    }

    static String firstLine(String s) {
        if (s == null) return "no message";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
