package io.mambair.job.output;

import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.job.RepositoryFiles;
import io.mambair.job.RunSummary;
import io.mambair.runtime.testing.Slow;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * output.table-format = delta with real delta-spark: the tables are Delta tables that read back with the same rows as
 * the Parquet tables of the same run, keep history over runs (one Delta commit per run and table), let a rerun with
 * the same run id replace only its own rows, and work by metastore name (output.table-name) as by path.
 */
@Slow
class DeltaTablesJobTest {
    private static final List<String> SAME_IN_BOTH = List.of("image_id", "input_uri", "task", "scale", "model_sha256", "width",
            "height", "out_width", "out_height", "channels", "bit_depth", "tile_mode", "status");
    private static SparkSession spark;
    @TempDir
    static Path warehouse;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("mambair-delta-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.warehouse.dir", warehouse.toString())
                .getOrCreate();
    }

    @AfterAll
    static void stop() { if (spark != null) spark.stop(); }

    private static RunSummary run(Path out, String runId, String... extra) throws Exception {
        List<String> o = new java.util.ArrayList<>(List.of("model.path=\"" + JobTestSupport.srModel(2) + "\"",
                "input.path=\"" + RepositoryFiles.resolve("samples") + "\"", "output.path=\"" + out + "\"", "restore.tile-mode=whole",
                "restore.device=cpu", "output.mode=overwrite", "run-id=" + runId));
        o.addAll(List.of(extra));
        return MambairJob.run(spark, JobTestSupport.options(o.toArray(String[]::new)));
    }

    @Test
    void deltaTablesHoldTheParquetRowsKeepHistoryAndReplaceOnlyTheirOwnRun(@TempDir Path parquetOut, @TempDir Path deltaOut) throws Exception {
        RunSummary parquet = run(parquetOut, "first");
        RunSummary first = run(deltaOut, "first", "output.table-format=delta");
        assertEquals(5, first.counts().ok(), first.text());
        assertTrue(Files.isDirectory(Path.of(java.net.URI.create(first.imagesTable())).resolve("_delta_log")), first.imagesTable());

        Map<String, Row> fromParquet = byId(ImagesTable.read(spark, parquet.imagesTable()).collectAsList());
        Map<String, Row> fromDelta = byId(spark.read().format("delta").load(first.imagesTable()).collectAsList());
        assertEquals(fromParquet.keySet(), fromDelta.keySet());
        for (String id : fromParquet.keySet()) {
            for (String c : SAME_IN_BOTH) assertEquals(fromParquet.get(id).<Object>getAs(c), fromDelta.get(id).<Object>getAs(c), id + " " + c);
            String parquetImage = fromParquet.get(id).getAs("output_uri");
            String deltaImage = fromDelta.get(id).getAs("output_uri");
            assertEquals(-1L, Files.mismatch(Path.of(java.net.URI.create(parquetImage)), Path.of(java.net.URI.create(deltaImage))), "same restored bytes for " + id);
        }
        assertEquals(List.of(ImagesTable.SCHEMA.fieldNames()), List.of(spark.read().format("delta").load(first.imagesTable()).columns()));
        assertEquals(TableWriter.SUMMARY_COLUMNS, List.of(spark.read().format("delta").load(first.summaryTable()).columns()));

        RunSummary second = run(deltaOut, "second", "output.table-format=delta");
        RunSummary again = run(deltaOut, "first", "output.table-format=delta");
        assertEquals(5, again.counts().ok(), again.text());
        List<Row> all = spark.read().format("delta").load(second.imagesTable()).collectAsList();
        assertEquals(Map.of("first", 5L, "second", 5L), all.stream().collect(Collectors.groupingBy(r -> r.<String>getAs("run_id"), Collectors.counting())),
                "the rerun of 'first' replaced its own five rows and kept 'second'");
        spark.read().format("delta").load(second.imagesTable()).createOrReplaceTempView("images");
        List<Row> newest = spark.sql(ImagesTable.NEWEST_PER_IMAGE_SQL).collectAsList();
        assertEquals(5, newest.size());
        for (Row r : newest) assertEquals("first", r.getAs("run_id"), "the newest rows are the last run's");
        assertEquals(2, spark.read().format("delta").load(second.summaryTable()).count(), "one summary row per run");

        // Delta's own log: one commit per run into each table (write, write, replace of run 'first').
        List<Row> history = DeltaTable.forPath(spark, second.imagesTable()).history().collectAsList();
        assertEquals(3, history.size(), history.toString());
        assertEquals(3, DeltaTable.forPath(spark, second.summaryTable()).history().count());
        assertTrue(again.text().contains(" (summaries, Delta: WHERE run_id = 'first')"), again.text());
    }

    @Test
    void aTableNameRegistersBothTablesInTheMetastore(@TempDir Path out) throws Exception {
        spark.sql("CREATE DATABASE IF NOT EXISTS restore_db");
        RunSummary first = run(out, "n1", "output.table-format=delta", "output.table-name=restore_db.mambair_images");
        RunSummary second = run(out, "n2", "output.table-format=delta", "output.table-name=restore_db.mambair_images");
        assertEquals("restore_db.mambair_images", second.imagesTable());
        assertEquals(10, spark.table("restore_db.mambair_images").count());
        assertEquals(2, spark.table("restore_db.mambair_images_summary").count());
        assertEquals(5, spark.sql("SELECT * FROM restore_db.mambair_images WHERE run_id = 'n1' AND status = 'ok'").count());
        assertTrue(first.text().contains("tables: restore_db.mambair_images (per image), restore_db.mambair_images_summary"), first.text());
        assertEquals("delta", spark.sql("DESCRIBE DETAIL restore_db.mambair_images").first().getAs("format"));
    }

    private static Map<String, Row> byId(List<Row> rows) {
        return rows.stream().collect(Collectors.toMap(r -> r.<String>getAs("image_id"), Function.identity()));
    }
}
