package io.mambair.job.execute;

import java.io.Serializable;

/**
 * What one partition did, sent back to the driver: its executor, the GPU address Spark assigned
 * (null when none), the device restores ran on, the sessions this executor JVM had built by the
 * end, its image counts, and the most model-batch pixels its executor had in flight at once by the end.
 */
public record TaskReport(int partition, String executorId, String gpuAddress, String device, int sessionsBuilt,
                         long ok, long error, long skipped, long outputPixels, long peakPixelsInFlight) implements Serializable {
    public long images() { return ok + error + skipped; }
}
