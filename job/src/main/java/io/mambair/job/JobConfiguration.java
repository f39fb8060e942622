package io.mambair.job;

import com.typesafe.config.Config;
import io.mambair.job.config.ConfigSources;
import io.mambair.job.config.JobSettings;
import io.mambair.job.config.SettingsReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The effective configuration of a run (raw HOCON, for printing) and its validated settings. */
public record JobConfiguration(Config config, JobSettings settings) {

    /** Layers defaults, preset, config file (read through Hadoop), Spark conf and overrides, then validates. */
    public static JobConfiguration load(JobOptions options, Map<String, String> sparkConf, Configuration hadoop) throws IOException {
        ConfigSources sources = ConfigSources.defaults();
        if (options.preset() != null) sources.preset(options.preset());
        if (options.config() != null) sources.file(readText(options.config(), hadoop), options.config());
        sources.sparkConf(sparkConf).overrides(options.overrides());
        Config config = sources.resolve();
        return new JobConfiguration(config, SettingsReader.read(config, ConfigSources.defaults().resolve()));
    }

    /**
     * Loads and validates the configuration before any Spark context exists, from {@code sparkConf} (the
     * {@code spark.*} entries known so far); a config file on a Hadoop file system is read with the
     * {@code spark.hadoop.*} entries.
     */
    public static JobConfiguration beforeSpark(JobOptions options, Map<String, String> sparkConf) throws IOException {
        Configuration hadoop = new Configuration();
        sparkConf.forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) hadoop.set(k.substring("spark.hadoop.".length()), v);
        });
        return load(options, sparkConf, hadoop);
    }

    /** The {@code spark.*} JVM system properties: what spark-submit passes to the driver, read without loading Spark. */
    public static Map<String, String> sparkSystemProperties() {
        Map<String, String> conf = new java.util.HashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("spark."))
                .forEach(k -> conf.put(k, System.getProperty(k)));
        return conf;
    }

    private static String readText(String uri, Configuration hadoop) throws IOException {
        Path p = new Path(uri);
        try (FSDataInputStream in = p.getFileSystem(hadoop).open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
