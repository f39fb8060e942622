package io.mambair.job;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The job's command-line options, shared by {@code bin/mambair run} and the spark-submit main class. */
public final class JobOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "HOCON config file: a local path or a Hadoop URI (s3a://, hdfs://, ...) (default: none).")
    String config;

    @Option(names = "--preset", paramLabel = "NAME", description = "Bundled preset (conf/NAME.conf), applied before --config (default: none).")
    String preset;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key, e.g. --set output.mode=overwrite (repeatable; default: none).")
    List<String> overrides = new ArrayList<>();

    public JobOptions() {}

    public JobOptions(String config, String preset, List<String> overrides) {
        this.config = config;
        this.preset = preset;
        this.overrides = new ArrayList<>(overrides);
    }

    public String config() { return config; }
    public String preset() { return preset; }
    public List<String> overrides() { return overrides; }
}
