package io.mambair.runtime.engine;

/** An explicitly requested GPU could not start; the message names the device and the reason. */
public final class DeviceUnavailableException extends IllegalStateException {
    public DeviceUnavailableException(Device device, String reason) {
        super("device " + device + " was requested but cannot start: " + reason + " (use --device auto or cpu, or restore.device = auto)");
    }
}
