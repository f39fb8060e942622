package io.mambair.job.cli;

import io.mambair.job.JobConfiguration;
import io.mambair.job.JobOptions;
import io.mambair.job.JobRunner;
import io.mambair.job.config.InvalidConfigException;
import io.mambair.job.config.JobSettings;
import io.mambair.job.output.DeltaTables;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.DeviceSelector;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code mambair run}: the Spark job in local mode with an embedded Spark (the same job as spark-submit runs).
 * The configuration is validated before Spark starts, as is an explicit GPU in local mode (the driver is the
 * executor there); executors report progress twice per progress interval (at most every 2 s).
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the Spark job locally: restore (and measure) every image under input.path.",
                "Keys and their defaults: job/src/main/resources/mambair/defaults.conf (README: Configuration)."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]", description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master;

    @Override
    public Integer call() throws Exception {
        JobConfiguration configuration;
        try {
            configuration = JobConfiguration.beforeSpark(options, JobConfiguration.sparkSystemProperties());
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (master.startsWith("local")) DeviceSelector.requireStartable(Device.parse(configuration.settings().restore().device()));
        // Heartbeats carry running tasks' progress; under 2 s the first one can beat the scheduler's start (Spark logs errors
        // then), and Spark refuses one not below spark.network.timeout (120 s), so they stay within 2-10 s.
        long heartbeatMs = Math.min(10_000, Math.max(2000, configuration.settings().progressIntervalSeconds() * 500L));
        SparkSession.Builder builder = SparkSession.builder().appName("mambair").master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.executor.heartbeatInterval", heartbeatMs + "ms");
        if (configuration.settings().output().tableFormat() == JobSettings.TableFormat.DELTA) {
            // Vanilla Spark needs Delta's SQL extension and catalog for tables by name (Databricks and EMR set them).
            DeltaTables.SESSION_CONF.forEach(builder::config);
        }
        SparkSession spark = builder.getOrCreate();
        try {
            return new JobRunner(spark, configuration, true).run().verdict().exitStatus();
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        } finally {
            spark.stop();
        }
    }
}
