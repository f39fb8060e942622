package io.mambair.job.platform;

import java.util.Map;

/**
 * Where the driver runs: on the submitting machine (spark-submit client mode, bin/mambair), or inside the cluster
 * (YARN or Kubernetes cluster deploy mode, a Databricks JAR task), where {@code System.exit} is not the application's
 * status and must not be called.
 */
public record DriverPlacement(boolean insideCluster, String why) {

    /** The placement of this JVM, from spark-submit's system properties and the platform's environment. */
    public static DriverPlacement current() {
        return of(System.getenv(), System.getProperty("spark.submit.deployMode", ""));
    }

    /** The placement for an environment and a {@code spark.submit.deployMode}. */
    public static DriverPlacement of(Map<String, String> env, String deployMode) {
        if (env.containsKey("DATABRICKS_RUNTIME_VERSION")) return new DriverPlacement(true, "Databricks " + env.get("DATABRICKS_RUNTIME_VERSION"));
        if (deployMode.equals("cluster")) return new DriverPlacement(true, "cluster deploy mode");
        return new DriverPlacement(false, "client");
    }
}
