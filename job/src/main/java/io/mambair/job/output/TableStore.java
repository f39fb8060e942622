package io.mambair.job.output;

import io.mambair.job.config.JobSettings;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where the per-image and summary tables are kept and how a run's rows go in: Parquet folders ({@link ParquetTables})
 * or Delta tables ({@link DeltaTables}), by path or by metastore name. Rows carry {@code run_id}; a run replaces only
 * its own rows.
 */
public interface TableStore {
    /** The store {@code output} asks for, path-based under {@code tablesPath} unless a table name is set. */
    static TableStore of(SparkSession spark, JobSettings.Output output, String tablesPath) {
        return output.tableFormat() == JobSettings.TableFormat.DELTA
                ? new DeltaTables(spark, tablesPath, output.tableName()) : new ParquetTables(spark, tablesPath);
    }

    /** The images table as users read it: a path, or a table name. */
    String imagesLocation();

    /** The summary table as users read it (all runs). */
    String summaryLocation();

    /** Every run's image rows, columns in {@link ImagesTable#SCHEMA} order; empty before the first run. */
    Dataset<Row> images();

    /** Run {@code runId}'s summary rows, columns in {@link TableWriter#SUMMARY_COLUMNS} order. */
    Dataset<Row> summary(String runId);

    /** Replaces run {@code runId}'s image rows with {@code rows} (table rows of that run). */
    void replaceImages(Dataset<Row> rows, String runId);

    /** Adds {@code rows} (table rows of other runs) to their runs. */
    void appendImages(Dataset<Row> rows);

    /** Replaces run {@code runId}'s summary rows with {@code rows}. */
    void replaceSummary(Dataset<Row> rows, String runId);
}
