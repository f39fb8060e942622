package io.mambair.job.cli;

import io.mambair.job.JobOptions;
import io.mambair.job.MambairJob;
import io.mambair.job.config.InvalidConfigException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code mambair run}: the Spark job in local mode with an embedded Spark (the same job as spark-submit runs). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the Spark job locally: restore (and measure) every image under input.path.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]", description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master;

    @Override
    public Integer call() throws Exception {
        SparkSession spark = SparkSession.builder().appName("mambair").master(master)
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            return MambairJob.run(spark, options).verdict().exitStatus();
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        } finally {
            spark.stop();
        }
    }
}
