package io.mambair.job.output;

import io.mambair.job.config.JobSettings;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.Objects;

/**
 * What produced a result, as recorded in its row: model (sha256), task, scale, the degradation that
 * made the low-quality input (synthesised benchmarks), tile settings, self-ensemble and metric crop.
 * A row counts as done for a later run only when its provenance, output and reference equal the
 * later run's ({@link #sameResult}).
 */
public record Provenance(String modelName, String modelSha256, String task, int scale, String degradation,
                         String tileMode, int tileSize, int tileOverlap, boolean selfEnsemble, Integer cropBorder)
        implements Serializable {

    /** The provenance of every row a run with these settings and this model writes. */
    public static Provenance of(JobSettings s, String modelName, String modelSha256, String task, int scale) {
        boolean benchmark = s.mode() == JobSettings.Mode.BENCHMARK;
        boolean synth = benchmark && s.benchmark().lqSource() == JobSettings.LqSource.SYNTHESIZE;
        Integer crop = benchmark ? Integer.valueOf(s.benchmark().cropBorder() < 0 ? scale : s.benchmark().cropBorder()) : null;
        JobSettings.Restore r = s.restore();
        return new Provenance(modelName, modelSha256, task, scale, synth ? describe(s.benchmark().degradation(), scale) : null,
                r.tileMode(), r.tile(), r.overlap(), r.selfEnsemble(), crop);
    }

    /** Sets the provenance columns of {@code row}. */
    public ImageRow.Builder applyTo(ImageRow.Builder row) {
        return row.model_name(modelName).model_sha256(modelSha256).task(task).scale(scale).degradation(degradation)
                .tile_mode(tileMode).tile_size(tileSize).tile_overlap(tileOverlap).self_ensemble(selfEnsemble).crop_border(cropBorder);
    }

    /**
     * True when {@code row} (of the row store) is an ok result this provenance would reproduce for
     * the image whose output is {@code outputUri} and whose reference is {@code referenceUri}.
     */
    public boolean sameResult(Row row, String outputUri, String referenceUri) {
        return ImageRow.OK.equals(row.getAs("status"))
                && modelSha256.equals(row.getAs("model_sha256"))
                && task.equals(row.getAs("task"))
                && Objects.equals(scale, row.getAs("scale"))
                && Objects.equals(degradation, row.getAs("degradation"))
                && tileMode.equals(row.getAs("tile_mode"))
                && Objects.equals(tileSize, row.getAs("tile_size"))
                && Objects.equals(tileOverlap, row.getAs("tile_overlap"))
                && Objects.equals(selfEnsemble, row.getAs("self_ensemble"))
                && Objects.equals(cropBorder, row.getAs("crop_border"))
                && Objects.equals(outputUri, row.getAs("output_uri"))
                && Objects.equals(referenceUri, row.getAs("reference_uri"));
    }

    private static String describe(JobSettings.Degradation d, int scale) {
        return switch (d.kind()) {
            case BICUBIC -> "bicubic x" + scale;
            case NOISE -> "noise sigma=" + d.noiseSigma() + " seed=" + d.noiseSeed();
            case JPEG -> "jpeg quality=" + d.jpegQuality();
        };
    }
}
