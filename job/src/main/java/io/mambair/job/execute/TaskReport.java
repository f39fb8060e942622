package io.mambair.job.execute;

import java.io.Serializable;

/**
 * What one partition did, sent back to the driver: its executor, the GPU address Spark assigned
 * (null when none), the device restores ran on, the sessions this executor JVM had built by the
 * end, its image counts, the most model-batch pixels its executor had in flight at once by the end,
 * and the id of the task attempt (whose row files the driver commits).
 */
public record TaskReport(int partition, String executorId, String gpuAddress, String device, int sessionsBuilt,
                         long ok, long error, long skipped, long outputPixels, long peakPixelsInFlight,
                         long taskAttemptId) implements Serializable {
    public long images() { return ok + error + skipped; }
}
