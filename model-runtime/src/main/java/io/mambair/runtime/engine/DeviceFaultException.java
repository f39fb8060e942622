package io.mambair.runtime.engine;

/**
 * The GPU failed in a way that leaves its CUDA context unusable (an illegal address, a launch failure, an
 * uncorrectable ECC error, ...): not a problem of the image being restored. It ends the task; the session is marked
 * broken and rebuilt by the next lease ({@link DeviceFaults}).
 */
public final class DeviceFaultException extends IllegalStateException {
    public DeviceFaultException(String device, String reason) {
        super("device fault on " + device + ": " + reason + " (the task ends; its session is rebuilt for the next task)");
    }
}
