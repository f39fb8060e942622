package io.mambair.job.output;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

import java.util.Collection;
import java.util.List;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Commits a run's tables: the per-image table (one row per listed input, merged from the row
 * store, newest row per image) rewritten whole, and this run's summary rows under
 * {@code summary/run_id=<id>}. Parquet with zstd.
 */
public final class TableWriter {
    private final SparkSession spark;
    private final String tablesPath;

    public TableWriter(SparkSession spark, String tablesPath) {
        this.spark = spark;
        this.tablesPath = tablesPath;
    }

    public String imagesPath() { return tablesPath + "/images"; }
    public String summaryPath() { return tablesPath + "/summary"; }

    /** Writes the per-image table from {@code rows}, keeping only {@code imageIds}, one (the newest) row each. */
    public Dataset<Row> writeImages(Dataset<Row> rows, Collection<String> imageIds) {
        Dataset<Row> ids = spark.createDataset(List.copyOf(imageIds), org.apache.spark.sql.Encoders.STRING()).toDF("image_id");
        Dataset<Row> newest = rows.join(ids, "image_id")
                .withColumn("_rank", row_number().over(Window.partitionBy("image_id").orderBy(col("finished_at_ms").desc())))
                .filter(col("_rank").equalTo(1)).drop("_rank")
                .withColumn("finished_at", expr("timestamp_millis(finished_at_ms)")).drop("finished_at_ms");
        newest.coalesce(1).write().mode(SaveMode.Overwrite).option("compression", "zstd").parquet(imagesPath());
        return spark.read().parquet(imagesPath());
    }

    /** Writes this run's summary rows (per dataset/task/scale) computed from the committed per-image table. */
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
        String path = summaryPath() + "/run_id=" + runId;
        summary.coalesce(1).write().mode(SaveMode.Overwrite).option("compression", "zstd").parquet(path);
        return spark.read().parquet(path).withColumn("run_id", lit(runId));
    }
}
