package io.mambair.job;

import io.mambair.job.execute.TaskReport;
import io.mambair.job.outcome.RunVerdict;
import io.mambair.job.output.RunCounts;

import java.util.List;

/**
 * The outcome of one run: its id, counts, where the tables are, the per-partition reports and the
 * summary printed at the end, and the verdict (whether the run failed, its exit status).
 */
public record RunSummary(String runId, RunCounts counts, String imagesTable, String summaryTable,
                         List<TaskReport> reports, double wallSeconds, String text, RunVerdict verdict) {}
