package io.mambair.job.platform;

/**
 * A failed run where the driver runs inside the cluster: thrown out of {@code main} so that YARN's application
 * master or the Databricks task records a failed final status with this message in its diagnostics.
 */
public final class JobFailedException extends RuntimeException {
    private final int exitStatus;

    public JobFailedException(int exitStatus, String reason) {
        super("mambair run failed (exit status " + exitStatus + "): " + (reason == null ? "see the driver's log" : reason));
        this.exitStatus = exitStatus;
    }

    /** The exit status the run would have had under spark-submit in client mode. */
    public int exitStatus() { return exitStatus; }
}
