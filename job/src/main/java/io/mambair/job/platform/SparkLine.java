package io.mambair.job.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * A Spark line as the job jar knows it: the Spark version and the Scala binary version (2.12 or 2.13) it runs on.
 * Each line has its own job jar ({@code -all.jar} for Spark 3.5, {@code -spark4-all.jar} for Spark 4), since Spark's
 * listener and collection types differ between Scala 2.12 and 2.13.
 */
public record SparkLine(String sparkVersion, String scalaBinaryVersion) {

    /** The line this jar was built for (from the build's {@code mambair/build.properties}). */
    public static SparkLine built() {
        Properties p = new Properties();
        try (InputStream in = SparkLine.class.getResourceAsStream("/mambair/build.properties")) {
            if (in == null) throw new IllegalStateException("mambair/build.properties missing from the job jar");
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SparkLine(p.getProperty("spark.version"), p.getProperty("scala.binary.version"));
    }

    /** The line of the Spark and Scala this JVM runs. */
    public static SparkLine running() {
        return new SparkLine(org.apache.spark.package$.MODULE$.SPARK_VERSION(), binary(scala.util.Properties.versionNumberString()));
    }

    /** The job jar's classifier for this line: {@code all} (Scala 2.12, Spark 3.5) or {@code spark4-all} (Scala 2.13, Spark 4). */
    public String jarClassifier() {
        return scalaBinaryVersion.equals("2.12") ? "all" : "spark4-all";
    }

    /** "Spark 3.5.9 / Scala 2.12". */
    @Override
    public String toString() {
        return "Spark " + sparkVersion + " / Scala " + scalaBinaryVersion;
    }

    /** "2.13" of "2.13.17". */
    static String binary(String scalaVersion) {
        String[] parts = scalaVersion.split("\\.");
        return parts.length < 2 ? scalaVersion : parts[0] + "." + parts[1];
    }
}
