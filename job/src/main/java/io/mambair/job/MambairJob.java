package io.mambair.job;

import io.mambair.job.config.InvalidConfigException;
import io.mambair.job.config.JobSettings;
import io.mambair.job.output.DeltaTables;
import io.mambair.job.outcome.RunVerdict;
import io.mambair.job.platform.DriverPlacement;
import io.mambair.job.platform.JobFailedException;
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

    /** Why the run failed (the line printed on stderr), or null. */
    private String failure;

    /**
     * Runs the job. A failed run ends the process with its exit status under spark-submit in client mode; where the
     * driver runs inside the cluster (YARN/Kubernetes cluster deploy mode, a Databricks JAR task) it throws
     * {@link JobFailedException} instead, so the platform records the application or task as failed with the reason.
     */
    public static void main(String[] args) {
        MambairJob job = new MambairJob();
        int code = CommandErrors.commandLine(job).execute(args);
        if (code == 0) return;
        if (DriverPlacement.current().insideCluster()) throw new JobFailedException(code, job.failure);
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        Optional<String> otherLine = SparkLineCheck.mismatch(SparkLine.built(), SparkLine.running());
        if (otherLine.isPresent()) return refused(otherLine.get());
        JobConfiguration configuration;
        // A platform that made its session before main (Databricks) holds the conf there; spark-submit passes system properties.
        scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
        try {
            configuration = JobConfiguration.beforeSpark(options, existing.isDefined() ? sparkConf(existing.get()) : JobConfiguration.sparkSystemProperties());
        } catch (InvalidConfigException e) {
            return refused(e.getMessage());
        }
        SparkSession.Builder builder = SparkSession.builder().appName("mambair");
        if (existing.isEmpty() && configuration.settings().output().tableFormat() == JobSettings.TableFormat.DELTA) {
            // A session this main class starts (spark-submit) gets Delta's extension and catalog unless already configured.
            Map<String, String> conf = JobConfiguration.sparkSystemProperties();
            DeltaTables.SESSION_CONF.forEach((k, v) -> { if (!conf.containsKey(k)) builder.config(k, v); });
        }
        SparkSession spark = builder.getOrCreate();
        try {
            RunVerdict verdict = new JobRunner(spark, configuration).run().verdict();
            if (verdict.failed()) failure = verdict.reason();
            return verdict.exitStatus();
        } catch (InvalidConfigException e) {
            return refused(e.getMessage());
        }
    }

    private int refused(String message) {
        System.err.println(message);
        failure = message;
        return 2;
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
