package io.mambair.job.output;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;

/**
 * One row of the per-image table (see DESIGN.md): what was read, what was written, the metrics and
 * the outcome. Field names are the table's column names; {@code finished_at} is stored as epoch
 * milliseconds in the per-image row files and as a timestamp in the table.
 */
public final class ImageRow implements Serializable {
    /** Image restored (and measured, in benchmark mode). */
    public static final String OK = "ok";
    /** Image could not be processed; error_class and error_message say why. */
    public static final String ERROR = "error";
    /** Image finished by an earlier run into the same output; not redone. */
    public static final String SKIPPED = "skipped";

    public String run_id;
    public String dataset;
    public String image_id;
    public String input_uri;
    public String output_uri;
    public String reference_uri;
    public String task;
    public Integer scale;
    public String model_name;
    public String model_sha256;
    public Integer width;
    public Integer height;
    public Integer out_width;
    public Integer out_height;
    public Integer channels;
    public Integer bit_depth;
    public Double psnr;
    public Double ssim;
    public Double psnr_y;
    public Double ssim_y;
    public Double baseline_psnr_y;
    public Double baseline_ssim_y;
    public Integer crop_border;
    public String tile_mode;
    public Integer tile_size;
    public Integer tile_overlap;
    public String device;
    /** Selective-scan formulation the executor ran: "fused" or "standard" (null when not restored). */
    public String scan;
    public String gpu_address;
    public String executor_id;
    public Long runtime_ms;
    public Long total_ms;
    public String status;
    public String error_class;
    public String error_message;
    public Long finished_at_ms;

    /** Schema of the per-image row files (JSON, one object per file). */
    public static StructType rowFileSchema() {
        StructType s = new StructType();
        for (java.lang.reflect.Field f : ImageRow.class.getFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) continue;
            s = s.add(new StructField(f.getName(), sparkType(f.getType()), true, org.apache.spark.sql.types.Metadata.empty()));
        }
        return s;
    }

    private static DataType sparkType(Class<?> t) {
        if (t == String.class) return DataTypes.StringType;
        if (t == Integer.class) return DataTypes.IntegerType;
        if (t == Long.class) return DataTypes.LongType;
        if (t == Double.class) return DataTypes.DoubleType;
        throw new IllegalStateException("no column type for " + t);
    }
}
