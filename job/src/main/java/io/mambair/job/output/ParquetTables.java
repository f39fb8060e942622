package io.mambair.job.output;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.apache.spark.sql.functions.lit;

/** Tables as Parquet (zstd) folders, one per run: {@code images/run_id=<id>/} and {@code summary/run_id=<id>/}. */
final class ParquetTables implements TableStore {
    private final SparkSession spark;
    private final String images;
    private final String summary;

    ParquetTables(SparkSession spark, String tablesPath) {
        this.spark = spark;
        this.images = tablesPath + "/images";
        this.summary = tablesPath + "/summary";
    }

    @Override public String imagesLocation() { return images; }
    @Override public String summaryLocation() { return summary; }

    @Override
    public Dataset<Row> images() {
        return exists(images) ? ImagesTable.read(spark, images) : spark.createDataFrame(java.util.List.of(), ImagesTable.SCHEMA);
    }

    @Override
    public Dataset<Row> summary(String runId) {
        return spark.read().parquet(summary + "/run_id=" + runId).withColumn("run_id", lit(runId));
    }

    @Override
    public void replaceImages(Dataset<Row> rows, String runId) {
        rows.drop("run_id").coalesce(1).write().mode(SaveMode.Overwrite).option("compression", "zstd").parquet(images + "/run_id=" + runId);
    }

    @Override
    public void appendImages(Dataset<Row> rows) {
        rows.write().mode(SaveMode.Append).partitionBy("run_id").option("compression", "zstd").parquet(images);
    }

    @Override
    public void replaceSummary(Dataset<Row> rows, String runId) {
        rows.drop("run_id").coalesce(1).write().mode(SaveMode.Overwrite).option("compression", "zstd").parquet(summary + "/run_id=" + runId);
    }

    private boolean exists(String path) {
        Path p = new Path(path);
        try {
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
