package io.mambair.job.output;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Commits a run's tables into a {@link TableStore}: its per-image rows (one per image, see {@link ImagesTable};
 * earlier runs' rows are kept) and its summary rows.
 */
public final class TableWriter {
    /** The summary table's columns in order ({@code run_id}, the partition column, last). */
    public static final List<String> SUMMARY_COLUMNS = List.of("dataset", "task", "scale", "model_name", "model_sha256",
            "images_in_table", "ok_in_table", "error_in_table", "mean_psnr", "mean_ssim", "mean_psnr_y", "mean_ssim_y",
            "mean_baseline_psnr_y", "mean_baseline_ssim_y", "gain_psnr_y", "gain_ssim_y", "inputs", "ok", "error", "skipped",
            "output_megapixels", "wall_seconds", "megapixels_per_second", "finished_at", "run_id");
    private final TableStore store;

    public TableWriter(TableStore store) {
        this.store = store;
    }

    /**
     * Writes the rows run {@code runId} produced ({@code rows}: row-file rows of its committed
     * attempts), one per image, and returns them as table rows.
     */
    public Dataset<Row> writeImages(Dataset<Row> rows, String runId) {
        store.replaceImages(ImagesTable.fromRowFiles(ImagesTable.onePerImage(rows)), runId);
        return store.images().filter(col("run_id").equalTo(runId));
    }

    /**
     * Adds to their own runs' folders the earlier rows ({@code kept}, table rows of images this run
     * skipped) that no table holds yet: rows of a run that was killed before it committed.
     */
    public void writeUncommitted(Dataset<Row> kept) {
        Dataset<Row> committed = store.images().select(col("run_id").as("_run"), col("image_id").as("_image"));
        Dataset<Row> missing = kept.join(committed,
                kept.col("run_id").equalTo(col("_run")).and(kept.col("image_id").equalTo(col("_image"))), "left_anti");
        if (missing.isEmpty()) return;
        store.appendImages(missing);
    }

    /**
     * Writes this run's summary rows (per dataset/task/scale/model) computed from {@code images}:
     * the table rows of every image the run listed (its own rows and the earlier rows of images it skipped).
     */
    public Dataset<Row> writeSummary(Dataset<Row> images, String runId, RunCounts counts, double wallSeconds) {
        Column ok = col("status").equalTo(ImageRow.OK);
        Dataset<Row> summary = images.groupBy("dataset", "task", "scale", "model_name", "model_sha256")
                .agg(count(lit(1)).as("images_in_table"),
                        sum(when(ok, 1).otherwise(0)).as("ok_in_table"),
                        sum(when(col("status").equalTo(ImageRow.ERROR), 1).otherwise(0)).as("error_in_table"),
                        avg(when(ok, col("psnr"))).as("mean_psnr"),
                        avg(when(ok, col("ssim"))).as("mean_ssim"),
                        avg(when(ok, col("psnr_y"))).as("mean_psnr_y"),
                        avg(when(ok, col("ssim_y"))).as("mean_ssim_y"),
                        avg(when(ok, col("baseline_psnr_y"))).as("mean_baseline_psnr_y"),
                        avg(when(ok, col("baseline_ssim_y"))).as("mean_baseline_ssim_y"))
                .withColumn("gain_psnr_y", col("mean_psnr_y").minus(col("mean_baseline_psnr_y")))
                .withColumn("gain_ssim_y", col("mean_ssim_y").minus(col("mean_baseline_ssim_y")))
                .withColumn("inputs", lit(counts.inputs()))
                .withColumn("ok", lit(counts.ok()))
                .withColumn("error", lit(counts.error()))
                .withColumn("skipped", lit(counts.skipped()))
                .withColumn("output_megapixels", lit(counts.outputPixels() / 1e6))
                .withColumn("wall_seconds", lit(wallSeconds))
                .withColumn("megapixels_per_second", lit(counts.outputPixels() / 1e6 / Math.max(1e-9, wallSeconds)))
                .withColumn("finished_at", expr("current_timestamp()"));
        store.replaceSummary(summary.withColumn("run_id", lit(runId))
                .select(SUMMARY_COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)), runId);
        return store.summary(runId);
    }
}
