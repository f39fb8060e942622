package io.mambair.job.execute;

import java.io.Serializable;

/**
 * What one partition did, sent back to the driver: its executor, the GPU address Spark assigned
 * (null when none), the device restores ran on, the sessions this executor JVM had built by the
 * end, and its image counts.
 */
public record TaskReport(int partition, String executorId, String gpuAddress, String device, int sessionsBuilt,
                         long ok, long error, long skipped, long outputPixels) implements Serializable {
    public long images() { return ok + error + skipped; }
}
