package io.mambair.job.config;

import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.TileMode;
import org.apache.hadoop.fs.GlobPattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestoreSettingsTest {
    private static JobSettings read(String... overrides) {
        List<String> o = new ArrayList<>(List.of("model.path=/m", "input.path=/i", "output.path=/o"));
        o.addAll(List.of(overrides));
        return SettingsReader.read(ConfigSources.defaults().overrides(o).resolve(), ConfigSources.defaults().resolve());
    }

    @ParameterizedTest(name = "{0} {1}/{2}")
    @CsvSource({"official,4,0", "whole,7,2", "blend,16,16", "blend,32,40"})
    void restoreSettingsTheRuntimeRefusesAreRefusedAtStartInEveryTileMode(String mode, int tile, int overlap) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> read("restore.tile-mode=" + mode, "restore.tile=" + tile, "restore.overlap=" + overlap));
        String runtimeSays = assertThrows(IllegalArgumentException.class,
                () -> new RestoreOptions(TileMode.parse(mode), tile, overlap, 1, false)).getMessage();
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains(runtimeSays), e.getMessage() + " should carry the runtime's reason: " + runtimeSays);
    }

    @ParameterizedTest
    @CsvSource({"official,8,0,1", "blend,64,16,4", "whole,8,7,2"})
    void acceptedSettingsAreTheRuntimesOptions(String mode, int tile, int overlap, int batch) {
        JobSettings s = read("restore.tile-mode=" + mode, "restore.tile=" + tile, "restore.overlap=" + overlap, "restore.batch-size=" + batch,
                "restore.self-ensemble=true");
        assertEquals(new RestoreOptions(TileMode.parse(mode), tile, overlap, batch, true), s.restore().options());
    }

    @ParameterizedTest
    @ValueSource(strings = {"animated.gif", "x.GIF", "photo.jpg", "scan.tiff", "a.webp"})
    void theDefaultGlobListsEverySupportedFormatIncludingGif(String name) {
        assertTrue(GlobPattern.compile(read().input().glob()).matcher(name).matches(), name);
    }
}
