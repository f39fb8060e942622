package io.mambair.job.output;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

/**
 * What earlier runs into a row store left: the newest row of every image. An image counts as done
 * only when that row is ok and has this run's {@link Provenance}, output and reference.
 */
public final class ResumeIndex {
    private final Map<String, Row> newest;
    private final Provenance provenance;

    private ResumeIndex(Map<String, Row> newest, Provenance provenance) {
        this.newest = newest;
        this.provenance = provenance;
    }

    /** The newest row per image of every run recorded in {@code store}. */
    public static ResumeIndex load(SparkSession spark, RowStore store, Provenance provenance) throws IOException {
        Map<String, Row> newest = new HashMap<>();
        Dataset<Row> rows = store.readAll(spark).filter(col("image_id").isNotNull())
                .withColumn("_rank", row_number().over(Window.partitionBy("image_id").orderBy(col("finished_at_ms").desc_nulls_last())))
                .filter(col("_rank").equalTo(1)).drop("_rank");
        for (Row r : rows.collectAsList()) newest.put(r.getAs("image_id"), r);
        return new ResumeIndex(newest, provenance);
    }

    /** An index that finds nothing done (output.mode = overwrite). */
    public static ResumeIndex none(Provenance provenance) { return new ResumeIndex(Map.of(), provenance); }

    /** True when image {@code imageId} was finished exactly as this run would finish it. */
    public boolean sameResult(String imageId, String outputUri, String referenceUri) {
        Row r = newest.get(imageId);
        return r != null && provenance.sameResult(r, outputUri, referenceUri);
    }

    /** The earlier rows of {@code imageIds} as table rows. */
    public Dataset<Row> tableRows(SparkSession spark, Collection<String> imageIds) {
        List<Row> rows = new ArrayList<>();
        for (String id : imageIds) if (newest.containsKey(id)) rows.add(newest.get(id));
        return ImagesTable.fromRowFiles(spark.createDataFrame(rows, ImageRow.SCHEMA));
    }
}
