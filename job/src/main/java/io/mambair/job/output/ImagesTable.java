package io.mambair.job.output;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

/**
 * The per-image table: {@code images/run_id=<id>/} holds the rows each run produced (history is
 * kept; a rerun with the same id replaces its own folder). Columns are {@link ImageRow#SCHEMA} in
 * order, with {@code finished_at} a timestamp and {@code run_id} last (the partition column).
 * {@link #NEWEST_PER_IMAGE_SQL} is the current state: the newest row of every image.
 */
public final class ImagesTable {
    /** The table's columns in order. */
    public static final StructType SCHEMA = tableSchema();

    /** The newest row of every image (per dataset and image_id) over all runs of a table registered as view {@code images}. */
    public static final String NEWEST_PER_IMAGE_SQL = "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY dataset, image_id"
            + " ORDER BY finished_at DESC, run_id DESC) AS newest FROM images) WHERE newest = 1";

    private ImagesTable() {}

    /** Reads the table under {@code imagesPath} with its declared schema ({@code run_id} always a string). */
    public static Dataset<Row> read(SparkSession spark, String imagesPath) {
        return spark.read().schema(SCHEMA).parquet(imagesPath).select(columns());
    }

    /** Row-file rows as table rows: {@code finished_at} as a timestamp, columns in table order. */
    public static Dataset<Row> fromRowFiles(Dataset<Row> rows) {
        return rows.withColumn("finished_at", expr("timestamp_millis(finished_at_ms)")).select(columns());
    }

    /**
     * One row per image of {@code rows} (row-file rows of one run): several attempts of one image
     * (retries, speculation) keep its ok row if any, else its newest.
     */
    static Dataset<Row> onePerImage(Dataset<Row> rows) {
        Column okFirst = when(col("status").equalTo(ImageRow.OK), 0).otherwise(1);
        return rows.withColumn("_rank", row_number().over(Window.partitionBy("image_id").orderBy(okFirst, col("finished_at_ms").desc())))
                .filter(col("_rank").equalTo(1)).drop("_rank");
    }

    private static Column[] columns() {
        return Arrays.stream(SCHEMA.fieldNames()).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    }

    private static StructType tableSchema() {
        StructType s = new StructType();
        for (StructField f : ImageRow.SCHEMA.fields()) {
            if (f.name().equals("run_id")) continue;
            s = f.name().equals("finished_at_ms") ? s.add("finished_at", DataTypes.TimestampType) : s.add(f);
        }
        return s.add("run_id", DataTypes.StringType);
    }
}
