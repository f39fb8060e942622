package io.mambair.job.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The durable record of finished images: one small JSON file per image, named by a hash of its
 * image id and written atomically as soon as the image is done, so a killed run loses at most the
 * images in flight and a rerun finds every finished one. Rewriting an image replaces its file, so
 * there is never more than one row per image.
 */
public final class RowStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String folder;

    /** A store in {@code folder} (created on first write). */
    public RowStore(String folder) { this.folder = folder; }

    public String folder() { return folder; }

    /** Durably records {@code row}, replacing any earlier row of the same image. */
    public void put(ImageRow row, Configuration conf) throws IOException {
        AtomicFiles.write(fileOf(row.image_id), JSON.writeValueAsBytes(row), conf);
    }

    /** Every recorded row, or an empty frame when nothing was recorded yet. */
    public Dataset<Row> readAll(SparkSession spark) throws IOException {
        Path p = new Path(folder);
        boolean any = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
        if (!any) return spark.createDataFrame(java.util.List.of(), ImageRow.rowFileSchema());
        return spark.read().schema(ImageRow.rowFileSchema()).option("mode", "PERMISSIVE").option("pathGlobFilter", "*.json").json(folder);
    }

    String fileOf(String imageId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(imageId.getBytes(StandardCharsets.UTF_8));
            return new Path(folder, HexFormat.of().formatHex(h, 0, 20) + ".json").toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
