package io.mambair.job.config;

import io.mambair.runtime.engine.CudaOptions;
import io.mambair.runtime.engine.ScanMode;

import java.io.Serializable;
import java.util.Map;

/** The validated, typed settings of one run (built by {@link SettingsReader}); shipped to executors. */
public record JobSettings(
        String runId,
        String dataset,
        Mode mode,
        Model model,
        Input input,
        Benchmark benchmark,
        Restore restore,
        Output output,
        int partitions,
        int progressIntervalSeconds,
        Map<String, String> hadoop,
        double failOnErrorFraction) implements Serializable {

    /** The settings as text, Hadoop entries whose names are secret ({@link EffectiveConfig#isSecret}) redacted. */
    @Override
    public String toString() {
        Map<String, String> shown = new java.util.TreeMap<>();
        hadoop.forEach((k, v) -> shown.put(k, EffectiveConfig.isSecret(k) ? EffectiveConfig.REDACTED : v));
        return "JobSettings[runId=" + runId + ", dataset=" + dataset + ", mode=" + mode + ", model=" + model + ", input=" + input
                + ", benchmark=" + benchmark + ", restore=" + restore + ", output=" + output + ", partitions=" + partitions
                + ", progressIntervalSeconds=" + progressIntervalSeconds + ", hadoop=" + shown
                + ", failOnErrorFraction=" + failOnErrorFraction + "]";
    }

    /** The same settings with these input, reference, output and tables paths (e.g. qualified ones). */
    public JobSettings withPaths(String inputPath, String referencePath, String outputPath, String tablesPath) {
        Benchmark b = benchmark;
        Output o = output;
        return new JobSettings(runId, dataset, mode, model,
                new Input(inputPath, input.glob(), input.recursive(), input.maxPixels(), input.applyOrientation()),
                new Benchmark(b.lqSource(), referencePath, b.lqTemplate(), b.referenceTemplate(), b.cropBorder(), b.degradation()),
                restore, new Output(outputPath, o.format(), o.jpegQuality(), o.writeImages(), o.mode(), tablesPath, o.keepModelColour(),
                        o.tableFormat(), o.tableName()),
                partitions, progressIntervalSeconds, hadoop, failOnErrorFraction);
    }

    /** What the run does with each image. */
    public enum Mode { ENHANCE, BENCHMARK }

    /** Where benchmark inputs come from. */
    public enum LqSource { PAIRED, SYNTHESIZE }

    /** How a low-quality input is synthesised from a reference. */
    public enum DegradationKind { BICUBIC, NOISE, JPEG }

    /** File format of restored images; SAME keeps the input's. */
    public enum OutputFormat { SAME, PNG, JPG, TIFF }

    /** How the images and summary tables are stored. */
    public enum TableFormat { PARQUET, DELTA }

    /** What happens to images an earlier run into the same output already finished. */
    public enum WriteMode { SKIP_EXISTING, OVERWRITE }

    /** The checkpoint and what it must be: {@code task} empty and {@code scale} 0 accept any. */
    public record Model(String path, String task, int scale) implements Serializable {}

    public record Input(String path, String glob, boolean recursive, long maxPixels, boolean applyOrientation) implements Serializable {}

    public record Degradation(DegradationKind kind, double noiseSigma, long noiseSeed, int jpegQuality) implements Serializable {}

    public record Benchmark(LqSource lqSource, String referencePath, String lqTemplate, String referenceTemplate,
                            int cropBorder, Degradation degradation) implements Serializable {}

    /**
     * Restore settings; {@code scan} is {@code restore.scan}, {@code requireAssignedGpu} is
     * {@code restore.require-assigned-gpu} (a task Spark assigned a GPU fails when that GPU cannot start).
     */
    public record Restore(String tileMode, int tile, int overlap, int batchSize, boolean selfEnsemble,
                          String device, long maxPixelsInFlight, io.mambair.job.memory.BudgetSize memoryBudget,
                          CudaOptions cuda, ScanMode scan, boolean requireAssignedGpu) implements Serializable {
        /** The runtime's options for these settings (valid: {@link SettingsReader} built them once at start). */
        public io.mambair.runtime.restore.RestoreOptions options() {
            return new io.mambair.runtime.restore.RestoreOptions(io.mambair.runtime.restore.TileMode.parse(tileMode), tile, overlap,
                    batchSize, selfEnsemble);
        }
    }

    /**
     * Where images go and how the tables are kept: {@code tableName} (blank = path-based tables under {@code tablesPath})
     * names a metastore table for the images, its summary beside it with {@code _summary} appended.
     */
    public record Output(String path, OutputFormat format, int jpegQuality, boolean writeImages, WriteMode mode,
                         String tablesPath, boolean keepModelColour, TableFormat tableFormat, String tableName) implements Serializable {}
}
