package io.mambair.job.output;

/** Image counts of one run; they reconcile: inputs = ok + error + skipped. */
public record RunCounts(long inputs, long ok, long error, long skipped, long outputPixels) {
    public boolean reconciles() { return inputs == ok + error + skipped; }
}
