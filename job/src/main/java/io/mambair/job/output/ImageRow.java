package io.mambair.job.output;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;

/**
 * One row of the per-image table (see DESIGN.md): what was read, what produced the result (model,
 * task, scale, degradation, tile settings, self-ensemble: the resume key), what was written, the
 * metrics and the outcome. Immutable; built with {@link Builder}. Component names are the column
 * names and {@link #SCHEMA} declares their order; {@code finished_at_ms} is epoch milliseconds in
 * the row files and becomes the {@code finished_at} timestamp in the table.
 */
public record ImageRow(
        String run_id,
        String dataset,
        String image_id,
        String input_uri,
        String output_uri,
        String reference_uri,
        String task,
        Integer scale,
        String model_name,
        String model_sha256,
        Integer width,
        Integer height,
        Integer out_width,
        Integer out_height,
        Integer channels,
        Integer bit_depth,
        Double psnr,
        Double ssim,
        Double psnr_y,
        Double ssim_y,
        Double baseline_psnr_y,
        Double baseline_ssim_y,
        Integer crop_border,
        String degradation,
        String tile_mode,
        Integer tile_size,
        Integer tile_overlap,
        Boolean self_ensemble,
        String device,
        String scan,
        String gpu_address,
        String executor_id,
        Long runtime_ms,
        Long total_ms,
        String status,
        String error_class,
        String error_message,
        Long finished_at_ms) implements Serializable {
    /** Image restored (and measured, in benchmark mode). */
    public static final String OK = "ok";
    /** Image could not be processed; error_class and error_message say why. */
    public static final String ERROR = "error";

    /** The columns of the row files, in the order of the record components. */
    public static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType)
            .add("dataset", DataTypes.StringType)
            .add("image_id", DataTypes.StringType)
            .add("input_uri", DataTypes.StringType)
            .add("output_uri", DataTypes.StringType)
            .add("reference_uri", DataTypes.StringType)
            .add("task", DataTypes.StringType)
            .add("scale", DataTypes.IntegerType)
            .add("model_name", DataTypes.StringType)
            .add("model_sha256", DataTypes.StringType)
            .add("width", DataTypes.IntegerType)
            .add("height", DataTypes.IntegerType)
            .add("out_width", DataTypes.IntegerType)
            .add("out_height", DataTypes.IntegerType)
            .add("channels", DataTypes.IntegerType)
            .add("bit_depth", DataTypes.IntegerType)
            .add("psnr", DataTypes.DoubleType)
            .add("ssim", DataTypes.DoubleType)
            .add("psnr_y", DataTypes.DoubleType)
            .add("ssim_y", DataTypes.DoubleType)
            .add("baseline_psnr_y", DataTypes.DoubleType)
            .add("baseline_ssim_y", DataTypes.DoubleType)
            .add("crop_border", DataTypes.IntegerType)
            .add("degradation", DataTypes.StringType)
            .add("tile_mode", DataTypes.StringType)
            .add("tile_size", DataTypes.IntegerType)
            .add("tile_overlap", DataTypes.IntegerType)
            .add("self_ensemble", DataTypes.BooleanType)
            .add("device", DataTypes.StringType)
            .add("scan", DataTypes.StringType)
            .add("gpu_address", DataTypes.StringType)
            .add("executor_id", DataTypes.StringType)
            .add("runtime_ms", DataTypes.LongType)
            .add("total_ms", DataTypes.LongType)
            .add("status", DataTypes.StringType)
            .add("error_class", DataTypes.StringType)
            .add("error_message", DataTypes.StringType)
            .add("finished_at_ms", DataTypes.LongType);

    /** A builder holding this row's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.run_id = run_id;
        b.dataset = dataset;
        b.image_id = image_id;
        b.input_uri = input_uri;
        b.output_uri = output_uri;
        b.reference_uri = reference_uri;
        b.task = task;
        b.scale = scale;
        b.model_name = model_name;
        b.model_sha256 = model_sha256;
        b.width = width;
        b.height = height;
        b.out_width = out_width;
        b.out_height = out_height;
        b.channels = channels;
        b.bit_depth = bit_depth;
        b.psnr = psnr;
        b.ssim = ssim;
        b.psnr_y = psnr_y;
        b.ssim_y = ssim_y;
        b.baseline_psnr_y = baseline_psnr_y;
        b.baseline_ssim_y = baseline_ssim_y;
        b.crop_border = crop_border;
        b.degradation = degradation;
        b.tile_mode = tile_mode;
        b.tile_size = tile_size;
        b.tile_overlap = tile_overlap;
        b.self_ensemble = self_ensemble;
        b.device = device;
        b.scan = scan;
        b.gpu_address = gpu_address;
        b.executor_id = executor_id;
        b.runtime_ms = runtime_ms;
        b.total_ms = total_ms;
        b.status = status;
        b.error_class = error_class;
        b.error_message = error_message;
        b.finished_at_ms = finished_at_ms;
        return b;
    }

    /** Collects the values of one row; each setter is named after its column. */
    public static final class Builder {
        private String run_id;
        private String dataset;
        private String image_id;
        private String input_uri;
        private String output_uri;
        private String reference_uri;
        private String task;
        private Integer scale;
        private String model_name;
        private String model_sha256;
        private Integer width;
        private Integer height;
        private Integer out_width;
        private Integer out_height;
        private Integer channels;
        private Integer bit_depth;
        private Double psnr;
        private Double ssim;
        private Double psnr_y;
        private Double ssim_y;
        private Double baseline_psnr_y;
        private Double baseline_ssim_y;
        private Integer crop_border;
        private String degradation;
        private String tile_mode;
        private Integer tile_size;
        private Integer tile_overlap;
        private Boolean self_ensemble;
        private String device;
        private String scan;
        private String gpu_address;
        private String executor_id;
        private Long runtime_ms;
        private Long total_ms;
        private String status;
        private String error_class;
        private String error_message;
        private Long finished_at_ms;

        public Builder run_id(String v) { this.run_id = v; return this; }
        public Builder dataset(String v) { this.dataset = v; return this; }
        public Builder image_id(String v) { this.image_id = v; return this; }
        public Builder input_uri(String v) { this.input_uri = v; return this; }
        public Builder output_uri(String v) { this.output_uri = v; return this; }
        public Builder reference_uri(String v) { this.reference_uri = v; return this; }
        public Builder task(String v) { this.task = v; return this; }
        public Builder scale(Integer v) { this.scale = v; return this; }
        public Builder model_name(String v) { this.model_name = v; return this; }
        public Builder model_sha256(String v) { this.model_sha256 = v; return this; }
        public Builder width(Integer v) { this.width = v; return this; }
        public Builder height(Integer v) { this.height = v; return this; }
        public Builder out_width(Integer v) { this.out_width = v; return this; }
        public Builder out_height(Integer v) { this.out_height = v; return this; }
        public Builder channels(Integer v) { this.channels = v; return this; }
        public Builder bit_depth(Integer v) { this.bit_depth = v; return this; }
        public Builder psnr(Double v) { this.psnr = v; return this; }
        public Builder ssim(Double v) { this.ssim = v; return this; }
        public Builder psnr_y(Double v) { this.psnr_y = v; return this; }
        public Builder ssim_y(Double v) { this.ssim_y = v; return this; }
        public Builder baseline_psnr_y(Double v) { this.baseline_psnr_y = v; return this; }
        public Builder baseline_ssim_y(Double v) { this.baseline_ssim_y = v; return this; }
        public Builder crop_border(Integer v) { this.crop_border = v; return this; }
        public Builder degradation(String v) { this.degradation = v; return this; }
        public Builder tile_mode(String v) { this.tile_mode = v; return this; }
        public Builder tile_size(Integer v) { this.tile_size = v; return this; }
        public Builder tile_overlap(Integer v) { this.tile_overlap = v; return this; }
        public Builder self_ensemble(Boolean v) { this.self_ensemble = v; return this; }
        public Builder device(String v) { this.device = v; return this; }
        public Builder scan(String v) { this.scan = v; return this; }
        public Builder gpu_address(String v) { this.gpu_address = v; return this; }
        public Builder executor_id(String v) { this.executor_id = v; return this; }
        public Builder runtime_ms(Long v) { this.runtime_ms = v; return this; }
        public Builder total_ms(Long v) { this.total_ms = v; return this; }
        public Builder status(String v) { this.status = v; return this; }
        public Builder error_class(String v) { this.error_class = v; return this; }
        public Builder error_message(String v) { this.error_message = v; return this; }
        public Builder finished_at_ms(Long v) { this.finished_at_ms = v; return this; }

        public ImageRow build() {
            return new ImageRow(run_id, dataset, image_id, input_uri, output_uri, reference_uri, task, scale, model_name,
                    model_sha256, width, height, out_width, out_height, channels, bit_depth, psnr, ssim, psnr_y, ssim_y,
                    baseline_psnr_y, baseline_ssim_y, crop_border, degradation, tile_mode, tile_size, tile_overlap,
                    self_ensemble, device, scan, gpu_address, executor_id, runtime_ms, total_ms, status, error_class,
                    error_message, finished_at_ms);
        }
    }
}
