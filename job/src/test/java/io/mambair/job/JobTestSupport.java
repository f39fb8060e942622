package io.mambair.job;

import io.mambair.runtime.testing.SharedData;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers of the job's integration tests: a local Spark session and the fixture models. */
public final class JobTestSupport {
    private JobTestSupport() {}

    /** A local[2] session with the UI off and few shuffle partitions. */
    public static SparkSession localSpark() {
        return SparkSession.builder().master("local[2]").appName("mambair-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    /** The tiny official-structure model for a super-resolution scale (2 and 4 from the shared fixtures, 3 from test resources). */
    public static Path srModel(int scale) {
        return switch (scale) {
            case 2 -> SharedData.fixture("protocol_light_sr_x2_tiled").resolve("model.pth");
            case 3 -> resource("models/light_sr_x3.pth");
            case 4 -> SharedData.fixture("light_sr_x4").resolve("model.pth");
            default -> throw new IllegalArgumentException("no fixture model for x" + scale);
        };
    }

    /** A test resource as a file path. */
    public static Path resource(String name) {
        try {
            return Paths.get(JobTestSupport.class.getClassLoader().getResource(name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("test resource " + name + " missing", e);
        }
    }

    /** Job options from {@code key=value} overrides. */
    public static JobOptions options(String... overrides) {
        return new JobOptions(null, null, new ArrayList<>(List.of(overrides)));
    }
}
