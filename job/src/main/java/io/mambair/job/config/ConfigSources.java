package io.mambair.job.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueFactory;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the raw layered HOCON configuration of a run: bundled defaults, then an optional bundled
 * preset, then an optional config file, then Spark conf {@code spark.mambair.*}, then {@code --set}
 * overrides (later layers win). Keys may be given with or without the {@code mambair.} prefix.
 */
public final class ConfigSources {
    /** The root path every job key lives under. */
    public static final String ROOT = "mambair";
    private static final String DEFAULTS = "mambair/defaults.conf";
    private static final String SPARK_PREFIX = "spark.";

    private Config layered;

    private ConfigSources(Config defaults) { this.layered = defaults; }

    /** Starts from the defaults bundled in the job jar. */
    public static ConfigSources defaults() {
        return new ConfigSources(parseResource(DEFAULTS));
    }

    /** Layers a bundled preset ({@code conf/<name>.conf}) over what is there. */
    public ConfigSources preset(String name) {
        if (!Presets.names().contains(name)) {
            throw new InvalidConfigException(List.of("unknown preset '" + name + "'; valid presets: " + Presets.names()));
        }
        return layer(parseResource(Presets.RESOURCE_DIR + name + ".conf"));
    }

    /** Layers the HOCON text of a config file over what is there. */
    public ConfigSources file(String text, String origin) {
        return layer(ConfigFactory.parseString(text, ConfigParseOptions.defaults()
                .setSyntax(ConfigSyntax.CONF).setOriginDescription(origin)));
    }

    /** Layers Spark conf entries named {@code spark.mambair.*} (others are ignored). */
    public ConfigSources sparkConf(Map<String, String> sparkConf) {
        Config c = ConfigFactory.empty();
        for (Map.Entry<String, String> e : sparkConf.entrySet()) {
            if (e.getKey().startsWith(SPARK_PREFIX + ROOT + ".")) {
                c = c.withValue(e.getKey().substring(SPARK_PREFIX.length()), ConfigValueFactory.fromAnyRef(e.getValue(), "spark conf " + e.getKey()));
            }
        }
        return layer(c);
    }

    /** Layers {@code key=value} overrides; the value is taken as HOCON text (a string, number, boolean, list or object). */
    public ConfigSources overrides(List<String> assignments) {
        List<String> problems = new ArrayList<>();
        Config c = ConfigFactory.empty();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                problems.add("override '" + (EffectiveConfig.isSecret(a) ? EffectiveConfig.REDACTED : a) + "' is not key=value");
                continue;
            }
            String key = qualify(a.substring(0, eq).trim());
            String value = a.substring(eq + 1);
            try {
                // The origin names the key only: a value may be a secret and origins appear in error messages.
                Config one = ConfigFactory.parseString("k = " + value, ConfigParseOptions.defaults().setOriginDescription("--set " + key));
                c = c.withValue(key, one.getValue("k"));
            } catch (com.typesafe.config.ConfigException ex) {
                c = c.withValue(key, ConfigValueFactory.fromAnyRef(value, "--set " + key));
            }
        }
        if (!problems.isEmpty()) throw new InvalidConfigException(problems);
        return layer(c);
    }

    /** The layered configuration with substitutions resolved. */
    public Config resolve() {
        try {
            return layered.resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new InvalidConfigException(List.of(e.getMessage()));
        }
    }

    private ConfigSources layer(Config top) {
        layered = requalify(top).withFallback(layered);
        return this;
    }

    /** Moves keys written without the {@code mambair.} prefix under it. */
    private static Config requalify(Config top) {
        Config out = ConfigFactory.empty();
        for (String k : top.root().keySet()) {
            Config sub = top.root().withOnlyKey(k).toConfig();
            out = k.equals(ROOT) ? sub.withFallback(out) : sub.atPath(ROOT).withFallback(out);
        }
        return out;
    }

    private static String qualify(String key) {
        return key.equals(ROOT) || key.startsWith(ROOT + ".") ? key : ROOT + "." + key;
    }

    private static Config parseResource(String name) {
        InputStream in = ConfigSources.class.getClassLoader().getResourceAsStream(name);
        if (in == null) throw new IllegalStateException("resource " + name + " missing from the job jar");
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return ConfigFactory.parseReader(r, ConfigParseOptions.defaults().setOriginDescription(name));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }
}
