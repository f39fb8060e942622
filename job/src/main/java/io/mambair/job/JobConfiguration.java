package io.mambair.job;

import com.typesafe.config.Config;
import io.mambair.job.config.ConfigSources;
import io.mambair.job.config.JobSettings;
import io.mambair.job.config.SettingsReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

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
     * Loads and validates the configuration before any Spark context exists: the Spark conf is that of the
     * process's default session when the platform made one, else the {@code spark.*} system properties
     * spark-submit sets; a config file on a Hadoop file system is read with the {@code spark.hadoop.*} entries.
     */
    public static JobConfiguration beforeSpark(JobOptions options) throws IOException {
        scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
        SparkConf conf = existing.isDefined() ? existing.get().sparkContext().getConf() : new SparkConf();
        Map<String, String> sparkConf = new java.util.HashMap<>();
        Configuration hadoop = new Configuration();
        for (scala.Tuple2<String, String> e : conf.getAll()) {
            sparkConf.put(e._1(), e._2());
            if (e._1().startsWith("spark.hadoop.")) hadoop.set(e._1().substring("spark.hadoop.".length()), e._2());
        }
        return load(options, sparkConf, hadoop);
    }

    private static String readText(String uri, Configuration hadoop) throws IOException {
        Path p = new Path(uri);
        try (FSDataInputStream in = p.getFileSystem(hadoop).open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
