package io.mambair.job;

import io.mambair.job.config.InvalidConfigException;
import io.mambair.job.platform.SparkLine;
import io.mambair.job.platform.SparkLineCheck;
import io.mambair.runtime.cli.CommandErrors;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * The spark-submit main class: {@code spark-submit --class io.mambair.job.MambairJob job.jar
 * --config s3a://.../job.conf [--preset NAME] [--set key=value ...]}. Uses the session the
 * platform provides; configuration may also come from {@code --conf spark.mambair.*}. The configuration
 * is validated before the session starts, and a jar built for the other Spark line (Scala 2.12 vs 2.13) stops there; a user error (bad config, bad path, refused checkpoint) is one
 * line on stderr and a non-zero exit.
 */
@Command(name = "mambair-job", mixinStandardHelpOptions = true, description = "Run the mambair Spark job.")
public final class MambairJob implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    public static void main(String[] args) {
        int code = CommandErrors.commandLine(new MambairJob()).execute(args);
        if (code != 0) System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        Optional<String> otherLine = SparkLineCheck.mismatch(SparkLine.built(), SparkLine.running());
        if (otherLine.isPresent()) {
            System.err.println(otherLine.get());
            return 2;
        }
        JobConfiguration configuration;
        try {
            // A platform that made its session before main (Databricks) holds the conf there; spark-submit passes system properties.
            scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
            configuration = JobConfiguration.beforeSpark(options, existing.isDefined() ? sparkConf(existing.get()) : JobConfiguration.sparkSystemProperties());
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        SparkSession spark = SparkSession.builder().appName("mambair").getOrCreate();
        try {
            return new JobRunner(spark, configuration).run().verdict().exitStatus();
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
    }

    /** Loads the configuration (options + the session's {@code spark.mambair.*} conf) and runs the job. */
    public static RunSummary run(SparkSession spark, JobOptions options) throws java.io.IOException {
        JobConfiguration configuration = JobConfiguration.load(options, sparkConf(spark), spark.sparkContext().hadoopConfiguration());
        return new JobRunner(spark, configuration).run();
    }

    private static Map<String, String> sparkConf(SparkSession spark) {
        return Arrays.stream(spark.sparkContext().getConf().getAll()).collect(Collectors.toMap(t -> t._1(), t -> t._2(), (a, b) -> b));
    }
}
