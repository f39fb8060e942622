package io.mambair.job.config;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsReaderTest {
    private static final List<String> REQUIRED = List.of("model.path=/m.pth", "input.path=/in", "output.path=/out",
            "benchmark.reference-path=/hr");

    private static JobSettings read(ConfigSources sources) {
        return SettingsReader.read(sources.resolve(), ConfigSources.defaults().resolve());
    }

    @Test
    void everyPresetLoadsAndValidates() {
        List<String> names = Presets.names();
        assertEquals(17, names.size(), names.toString());
        for (String name : names) {
            JobSettings s = read(ConfigSources.defaults().preset(name).overrides(REQUIRED));
            assertEquals("/in", s.input().path(), name);
        }
    }

    @Test
    void presetsSetTheirTaskScaleAndDegradation() {
        JobSettings sr3 = read(ConfigSources.defaults().preset("classic_sr_x3").overrides(REQUIRED));
        assertEquals(JobSettings.Mode.BENCHMARK, sr3.mode());
        assertEquals(3, sr3.benchmark().cropBorder());
        assertEquals("{name}x{scale}", sr3.benchmark().lqTemplate());
        JobSettings dn50 = read(ConfigSources.defaults().preset("color_dn_50").overrides(REQUIRED));
        assertEquals(JobSettings.DegradationKind.NOISE, dn50.benchmark().degradation().kind());
        assertEquals(50.0, dn50.benchmark().degradation().noiseSigma());
        JobSettings car30 = read(ConfigSources.defaults().preset("jpeg_car_30").overrides(REQUIRED));
        assertEquals(30, car30.benchmark().degradation().jpegQuality());
        assertEquals(JobSettings.LqSource.SYNTHESIZE, car30.benchmark().lqSource());
        JobSettings grey25 = read(ConfigSources.defaults().preset("gray_dn_25").overrides(REQUIRED));
        assertEquals(JobSettings.DegradationKind.NOISE, grey25.benchmark().degradation().kind());
        assertEquals(25.0, grey25.benchmark().degradation().noiseSigma());
        assertEquals(0, grey25.benchmark().cropBorder());
        assertTrue(grey25.input().applyOrientation(), "images as viewers show them by default");
        assertFalse(grey25.output().keepModelColour(), "grey in, grey out by default");
    }

    @Test
    void laterLayersWinAndKeysMayOmitThePrefix() {
        JobSettings s = read(ConfigSources.defaults().preset("quickstart")
                .file("mambair.restore.tile = 96\nrestore.overlap = 8", "test.conf")
                .sparkConf(Map.of("spark.mambair.restore.tile", "128", "spark.executor.cores", "4"))
                .overrides(List.of("model.path=/m.pth", "input.path=/in", "mambair.output.path=/out", "partitions=7")));
        assertEquals(128, s.restore().tile());
        assertEquals(8, s.restore().overlap());
        assertEquals("blend", s.restore().tileMode());
        assertEquals(7, s.partitions());
    }

    @Test
    void aTransposedKeyIsSuggested() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> read(ConfigSources.defaults().overrides(List.of("model.path=/m", "input.path=/i", "output.path=/o", "restore.tiel=32"))));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals("unknown key 'restore.tiel' (--set); did you mean 'restore.tile'?", e.problems().get(0));
    }

    @Test
    void invalidValuesFailSayingWhatIsValid() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> read(ConfigSources.defaults().overrides(List.of("model.path=/m", "input.path=/i", "output.path=/o",
                        "output.mode=append", "restore.tile-mode=tiles", "restore.tile=abc", "output.jpeg-quality=101", "restore.device=gpu7"))));
        String m = e.getMessage();
        assertEquals(5, e.problems().size(), m);
        assertTrue(m.contains("output.mode = 'append' is invalid; valid: skip-existing, overwrite"), m);
        assertTrue(m.contains("restore.tile-mode = 'tiles' is invalid; valid: whole, blend, official"), m);
        assertTrue(m.contains("restore.tile = \"abc\" must be an integer (--set)"), m);
        assertTrue(m.contains("output.jpeg-quality = 101 is out of range; valid: 1..100"), m);
        assertTrue(m.contains("restore.device = 'gpu7' is invalid"), m);
    }

    @Test
    void tableFormatAndNameAreReadAndARunIdMustBeAFolderName() {
        JobSettings s = read(ConfigSources.defaults().overrides(List.of("model.path=/m", "input.path=/i", "output.path=/o",
                "output.table-format=delta", "output.table-name=main.restore.images", "run-id=nightly_2026-12-07.1")));
        assertEquals(JobSettings.TableFormat.DELTA, s.output().tableFormat());
        assertEquals("main.restore.images", s.output().tableName());
        assertEquals(JobSettings.TableFormat.PARQUET, read(ConfigSources.defaults().overrides(REQUIRED)).output().tableFormat());

        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> read(ConfigSources.defaults().overrides(List.of("model.path=/m", "input.path=/i", "output.path=/o",
                        "output.table-format=iceberg", "output.table-name=\"a.b-c\"", "run-id=\"x'; DROP\""))));
        String m = e.getMessage();
        assertTrue(m.contains("output.table-format = 'iceberg' is invalid; valid: parquet, delta"), m);
        assertTrue(m.contains("output.table-name = 'a.b-c' is invalid; valid: [catalog.][schema.]table"), m);
        assertTrue(m.contains("run-id = 'x'; DROP' is invalid; valid: letters, digits"), m);
        InvalidConfigException parquetName = assertThrows(InvalidConfigException.class,
                () -> read(ConfigSources.defaults().overrides(List.of("model.path=/m", "input.path=/i", "output.path=/o", "output.table-name=t"))));
        assertTrue(parquetName.getMessage().contains("output.table-name = 't' needs output.table-format = delta"), parquetName.getMessage());
    }

    @Test
    void aSectionSetToAPlainValueIsAConfigErrorNotAStackTrace() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> read(ConfigSources.defaults().preset("quickstart").overrides(List.of("restore=fast"))));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("restore.")), e.getMessage());
    }

    @Test
    void aTypoedKeyNamesTheKeyItMeantOnOneLine() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> read(ConfigSources.defaults().preset("quickstart").overrides(List.of("restore.tile-mod=blend"))));
        assertEquals(List.of("unknown key 'restore.tile-mod' (--set); did you mean 'restore.tile-mode'?"), e.problems());
        InvalidConfigException inFile = assertThrows(InvalidConfigException.class, () -> read(ConfigSources.defaults()
                .file("mambair {\n  model.path = /m\n  ouptut.path = /o\n}", "job.conf").overrides(List.of("input.path=/i", "output.path=/o"))));
        assertEquals(List.of("unknown key 'ouptut.path' (job.conf line 3); did you mean 'output.path'?"), inFile.problems());
    }

    @Test
    void anUnguessableKeyListsTheKeysOfItsSection() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> read(ConfigSources.defaults().overrides(List.of("model.path=/m", "input.path=/i", "output.path=/o", "restore.zoom=2"))));
        String m = e.problems().get(0);
        assertTrue(m.startsWith("unknown key 'restore.zoom' (--set); valid keys under 'restore.': "), m);
        assertTrue(m.contains("restore.tile-mode") && !m.contains("output.path"), m);
    }

    @Test
    void aBadValueIsPlainWithoutHoconOriginNoise() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> read(ConfigSources.defaults()
                .file("mambair.restore.tile = [1, 2]", "job.conf").overrides(List.of("model.path=/m", "input.path=/i", "output.path=/o"))));
        assertEquals(List.of("restore.tile = [1,2] must be an integer (job.conf line 1)"), e.problems());
    }

    @Test
    void theJobsPixelBoundIsTheOneDefaultOfTheCliAndSqlFunctions() {
        assertEquals(io.mambair.udfs.codec.ImageFiles.DEFAULT_MAX_PIXELS, read(ConfigSources.defaults().overrides(REQUIRED)).input().maxPixels());
    }

    @Test
    void missingRequiredValuesAreNamed() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> read(ConfigSources.defaults().overrides(List.of("mode=benchmark"))));
        String m = e.getMessage();
        assertTrue(m.contains("model.path is required"), m);
        assertTrue(m.contains("input.path is required"), m);
        assertTrue(m.contains("output.path is required"), m);
        assertTrue(m.contains("benchmark.reference-path is required"), m);
    }

    @Test
    void unknownPresetListsTheBundledOnes() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigSources.defaults().preset("classic_sr_x5"));
        assertTrue(e.getMessage().contains("classic_sr_x4"), e.getMessage());
    }

    @Test
    void s3SettingsAndFreeFormHadoopEntriesReachTheHadoopConfiguration() {
        JobSettings s = read(ConfigSources.defaults().overrides(List.of("model.path=/m", "input.path=/i", "output.path=/o",
                "s3.endpoint=\"http://127.0.0.1:9000\"", "s3.secret-key=abc", "hadoop.\"fs.s3a.connection.maximum\"=64")));
        assertEquals("http://127.0.0.1:9000", s.hadoop().get("fs.s3a.endpoint"));
        assertEquals("abc", s.hadoop().get("fs.s3a.secret.key"));
        assertEquals("64", s.hadoop().get("fs.s3a.connection.maximum"));
    }

    @Test
    void printedConfigRedactsSecrets() {
        Config c = ConfigSources.defaults().overrides(List.of("s3.access-key=AKIAEXAMPLE", "s3.secret-key=verysecret",
                "hadoop.\"fs.s3a.session.token\"=tok123", "model.path=/m.pth")).resolve();
        String text = EffectiveConfig.render(c);
        assertFalse(text.contains("verysecret"), text);
        assertFalse(text.contains("AKIAEXAMPLE"), text);
        assertFalse(text.contains("tok123"), text);
        assertTrue(text.contains(EffectiveConfig.REDACTED), text);
        assertTrue(text.contains("/m.pth"), text);
    }
}
