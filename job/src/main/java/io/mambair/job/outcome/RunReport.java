package io.mambair.job.outcome;

/** What the console says about a run's failures: the failing files and, when the run failed, why and its exit status. */
public final class RunReport {
    private RunReport() {}

    /** The lines to print after the summary ("" when nothing failed), each starting on a new line. */
    public static String text(String runId, FailedImages failed, RunVerdict verdict) {
        StringBuilder b = new StringBuilder();
        if (failed.count() > 0) b.append('\n').append(failed.text());
        if (verdict.failed()) {
            b.append(String.format("%nmambair run %s FAILED: %s; exit status %d (the tables are written)",
                    runId, verdict.reason(), verdict.exitStatus()));
        }
        return b.toString();
    }
}
