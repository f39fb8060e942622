package io.mambair.job.output;

import io.mambair.job.config.InvalidConfigException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * Tables as Delta tables partitioned by {@code run_id}, by path ({@code images/}, {@code summary/} under the tables
 * path) or by metastore name ({@code name} and {@code name_summary}). A run's rows replace its own partition in one
 * commit ({@code replaceWhere}), so a reader sees all of a run's rows or none of them.
 */
public final class DeltaTables implements TableStore {
    /** The session settings Delta needs on vanilla Spark (Databricks sets its own); applied where the job builds its session. */
    public static final Map<String, String> SESSION_CONF = Map.of(
            "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    private final SparkSession spark;
    private final String images;
    private final String summary;
    private final boolean named;

    DeltaTables(SparkSession spark, String tablesPath, String tableName) {
        requireDelta(spark);
        this.spark = spark;
        this.named = tableName != null && !tableName.isBlank();
        this.images = named ? tableName : tablesPath + "/images";
        this.summary = named ? tableName + "_summary" : tablesPath + "/summary";
    }

    @Override public String imagesLocation() { return images; }
    @Override public String summaryLocation() { return summary; }

    @Override
    public Dataset<Row> images() {
        if (!exists(images)) return spark.createDataFrame(List.of(), ImagesTable.SCHEMA);
        return read(images).select(columns(ImagesTable.SCHEMA.fieldNames()));
    }

    @Override
    public Dataset<Row> summary(String runId) {
        return read(summary).filter(col("run_id").equalTo(runId)).select(columns(TableWriter.SUMMARY_COLUMNS.toArray(String[]::new)));
    }

    @Override
    public void replaceImages(Dataset<Row> rows, String runId) {
        replace(rows, runId, images);
    }

    @Override
    public void appendImages(Dataset<Row> rows) {
        if (named) rows.write().format("delta").mode(SaveMode.Append).saveAsTable(images);
        else rows.write().format("delta").mode(SaveMode.Append).partitionBy("run_id").save(images);
    }

    @Override
    public void replaceSummary(Dataset<Row> rows, String runId) {
        replace(rows, runId, summary);
    }

    /** Overwrites exactly run {@code runId}'s partition of {@code table}, creating the table on the first run. */
    private void replace(Dataset<Row> rows, String runId, String table) {
        if (!named) {
            // Run ids are letters, digits, '.', '_' and '-' (SettingsReader): the literal needs no quoting.
            rows.write().format("delta").mode(SaveMode.Overwrite).partitionBy("run_id").option("replaceWhere", "run_id = '" + runId + "'").save(table);
        } else if (spark.catalog().tableExists(table)) {
            try {
                rows.writeTo(table).overwrite(col("run_id").equalTo(runId));
            } catch (Exception e) { // NoSuchTableException: declared checked on Spark 3.5 only
                if (e instanceof RuntimeException r) throw r;
                throw new IllegalStateException("table " + table + " went away while run " + runId + " was written", e);
            }
        } else {
            rows.write().format("delta").partitionBy("run_id").saveAsTable(table);
        }
    }

    private Dataset<Row> read(String table) {
        return named ? spark.table(table) : spark.read().format("delta").load(table);
    }

    private boolean exists(String table) {
        if (named) return spark.catalog().tableExists(table);
        org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(table, "_delta_log");
        try {
            return log.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(log);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A clear start-up error where delta-spark is not on the classpath (Databricks and EMR 7 ship it). */
    private static void requireDelta(SparkSession spark) {
        try {
            Class.forName("org.apache.spark.sql.delta.sources.DeltaDataSource");
        } catch (ClassNotFoundException e) {
            throw new InvalidConfigException(List.of("output.table-format = delta needs delta-spark on the cluster's classpath"
                    + " (e.g. spark-submit --packages io.delta:delta-spark_" + scala.util.Properties.versionNumberString().replaceAll("^(\\d+\\.\\d+).*", "$1")
                    + ":<version for this Spark>), or output.table-format = parquet"));
        }
        if (System.getenv("DATABRICKS_RUNTIME_VERSION") != null) return;
        for (Map.Entry<String, String> c : SESSION_CONF.entrySet()) {
            if (!spark.conf().get(c.getKey(), "").contains(c.getValue())) {
                throw new InvalidConfigException(List.of("output.table-format = delta needs the Spark session started with --conf "
                        + c.getKey() + "=" + c.getValue() + " (and " + String.join(", ", SESSION_CONF.keySet()) + " set likewise)"));
            }
        }
    }

    private static Column[] columns(String[] names) {
        Column[] c = new Column[names.length];
        for (int i = 0; i < names.length; i++) c[i] = col(names[i]);
        return c;
    }
}
