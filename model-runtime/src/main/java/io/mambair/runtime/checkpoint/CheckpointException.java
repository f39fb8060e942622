package io.mambair.runtime.checkpoint;

/** A checkpoint that cannot be read or does not describe a supported MambaIR model. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) { super(message); }
    public CheckpointException(String message, Throwable cause) { super(message, cause); }
}
