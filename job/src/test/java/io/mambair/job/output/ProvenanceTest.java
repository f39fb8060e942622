package io.mambair.job.output;

import io.mambair.job.config.ConfigSources;
import io.mambair.job.config.JobSettings;
import io.mambair.job.config.SettingsReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A recorded result counts as done only when model, task, scale, degradation, tiles, self-ensemble, crop, output and reference all match. */
class ProvenanceTest {
    private static JobSettings settings(String... overrides) {
        ConfigSources sources = ConfigSources.defaults();
        sources.overrides(List.of(concat(new String[] {"model.path=m.pth", "input.path=in", "output.path=out"}, overrides)));
        return SettingsReader.read(sources.resolve(), ConfigSources.defaults().resolve());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Row asRow(ImageRow r) throws Exception {
        RecordComponent[] c = ImageRow.class.getRecordComponents();
        Object[] values = new Object[c.length];
        for (int i = 0; i < c.length; i++) values[i] = c[i].getAccessor().invoke(r);
        return new GenericRowWithSchema(values, ImageRow.SCHEMA);
    }

    private static Row recorded(Provenance p, UnaryOperator<ImageRow.Builder> change) throws Exception {
        return asRow(change.apply(p.applyTo(new ImageRow.Builder()).status(ImageRow.OK).output_uri("file:/out/a.png")).build());
    }

    @Test
    void onlyAnOkRowOfTheSameModelAndSettingsCountsAsDone() throws Exception {
        Provenance p = Provenance.of(settings(), "light_x4", "aa", "light_sr", 4);
        assertTrue(p.sameResult(recorded(p, b -> b), "file:/out/a.png", null));
        assertFalse(p.sameResult(recorded(p, b -> b.model_sha256("bb")), "file:/out/a.png", null), "another checkpoint");
        assertFalse(p.sameResult(recorded(p, b -> b.scale(2)), "file:/out/a.png", null));
        assertFalse(p.sameResult(recorded(p, b -> b.task("classic_sr")), "file:/out/a.png", null));
        assertFalse(p.sameResult(recorded(p, b -> b.tile_size(32)), "file:/out/a.png", null));
        assertFalse(p.sameResult(recorded(p, b -> b.tile_mode("whole")), "file:/out/a.png", null));
        assertFalse(p.sameResult(recorded(p, b -> b.self_ensemble(true)), "file:/out/a.png", null));
        assertFalse(p.sameResult(recorded(p, b -> b.status(ImageRow.ERROR)), "file:/out/a.png", null));
        assertFalse(p.sameResult(recorded(p, b -> b), "file:/out/a.jpg", null), "another output");
        assertFalse(p.sameResult(recorded(p, b -> b), "file:/out/a.png", "file:/hr/a.png"), "now measured against a reference");
    }

    @Test
    void settingsThatChangeTheResultChangeTheProvenance() {
        Provenance base = Provenance.of(settings(), "m", "aa", "light_sr", 4);
        assertEquals(base, Provenance.of(settings("restore.batch-size=4", "partitions=3"), "m", "aa", "light_sr", 4));
        assertFalse(base.equals(Provenance.of(settings("restore.self-ensemble=true"), "m", "aa", "light_sr", 4)));
        assertFalse(base.equals(Provenance.of(settings("restore.overlap=8"), "m", "aa", "light_sr", 4)));
        Provenance noise15 = Provenance.of(settings("mode=benchmark", "benchmark.lq-source=synthesize", "benchmark.degradation.kind=noise"),
                "m", "aa", "color_dn", 1);
        Provenance noise25 = Provenance.of(settings("mode=benchmark", "benchmark.lq-source=synthesize", "benchmark.degradation.kind=noise",
                "benchmark.degradation.noise-sigma=25"), "m", "aa", "color_dn", 1);
        assertFalse(noise15.equals(noise25), noise15 + " vs " + noise25);
        assertEquals(Integer.valueOf(4), Provenance.of(settings("mode=benchmark", "benchmark.reference-path=hr"), "m", "aa", "light_sr", 4).cropBorder());
        assertEquals(null, base.cropBorder(), "no metrics in enhance mode");
    }
}
