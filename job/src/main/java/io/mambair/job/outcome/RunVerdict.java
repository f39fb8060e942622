package io.mambair.job.outcome;

import io.mambair.job.output.RunCounts;

/**
 * Whether a run succeeded, as its exit status tells a scheduler: it failed when every image failed,
 * or when the fraction of error rows exceeds {@code fail-on-error-fraction}. The tables are written
 * either way.
 */
public record RunVerdict(boolean failed, String reason) {
    /** The exit status of a failed run (2 is a refused configuration). */
    public static final int FAILED_EXIT_STATUS = 3;

    /** The verdict on {@code counts} under the threshold {@code failOnErrorFraction} (0..1). */
    public static RunVerdict of(RunCounts counts, double failOnErrorFraction) {
        if (counts.inputs() == 0 || counts.error() == 0) return new RunVerdict(false, null);
        double fraction = (double) counts.error() / counts.inputs();
        if (counts.error() == counts.inputs()) {
            return new RunVerdict(true, "every image failed (" + counts.error() + " of " + counts.inputs() + ")");
        }
        if (fraction > failOnErrorFraction) {
            return new RunVerdict(true, String.format("%d of %d images failed (%.1f%%), more than fail-on-error-fraction = %s",
                    counts.error(), counts.inputs(), 100 * fraction, failOnErrorFraction));
        }
        return new RunVerdict(false, null);
    }

    /** The process exit status: 0, or {@link #FAILED_EXIT_STATUS}. */
    public int exitStatus() { return failed ? FAILED_EXIT_STATUS : 0; }
}
