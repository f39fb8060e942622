package io.mambair.job.config;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A preset's task and scale must be the checkpoint's; a disagreement names both and the preset. */
class ModelExpectationTest {
    private static Config preset(String name) {
        return ConfigSources.defaults().preset(name).overrides(List.of("model.path=ck.pth", "input.path=in", "output.path=out",
                "benchmark.reference-path=hr")).resolve();
    }

    @Test
    void anX4PresetRefusesAnX2CheckpointNamingBothScales() {
        Config c = preset("light_sr_x4");
        JobSettings s = SettingsReader.read(c, ConfigSources.defaults().resolve());
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ModelExpectation.require(s.model(), c, "light_sr", 2));
        assertEquals(1, e.problems().size());
        String p = e.problems().get(0);
        assertTrue(p.startsWith("model.scale = 4 (") && p.contains("light_sr_x4.conf") && p.contains("ck.pth is a x2 model"), p);
        assertDoesNotThrow(() -> ModelExpectation.require(s.model(), c, "light_sr", 4));
    }

    @Test
    void aClassicPresetRefusesALightCheckpointAndDefaultsAcceptAnyModel() {
        Config c = preset("classic_sr_x2");
        JobSettings s = SettingsReader.read(c, ConfigSources.defaults().resolve());
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ModelExpectation.require(s.model(), c, "light_sr", 2));
        assertTrue(e.problems().get(0).startsWith("model.task = classic_sr (") && e.problems().get(0).contains("is a light_sr model"),
                e.getMessage());
        Config plain = ConfigSources.defaults().overrides(List.of("model.path=ck.pth", "input.path=in", "output.path=out")).resolve();
        JobSettings any = SettingsReader.read(plain, ConfigSources.defaults().resolve());
        assertDoesNotThrow(() -> ModelExpectation.require(any.model(), plain, "real_dn", 1));
    }

    @Test
    void everyBenchmarkPresetPinsItsCheckpointsTaskAndScale() {
        for (String name : Presets.names()) {
            Config c = preset(name);
            if (!c.getString("mambair.mode").equals("benchmark")) continue;
            assertTrue(c.hasPath("mambair.model.task") && c.hasPath("mambair.model.scale"), name + " names the task and scale it scores");
        }
        Config grey = preset("gray_dn_25");
        JobSettings s = SettingsReader.read(grey, ConfigSources.defaults().resolve());
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ModelExpectation.require(s.model(), grey, "color_dn", 1));
        assertTrue(e.problems().get(0).startsWith("model.task = gray_dn_or_car ("), e.getMessage());
    }
}
