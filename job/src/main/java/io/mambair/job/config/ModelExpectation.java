package io.mambair.job.config;

import com.typesafe.config.Config;

import java.util.ArrayList;
import java.util.List;

/**
 * Refuses a checkpoint whose inferred task or scale disagrees with what the configuration (usually a
 * preset) expects, naming both values and where the expectation was set.
 */
public final class ModelExpectation {
    private ModelExpectation() {}

    /** Throws {@link InvalidConfigException} when {@code expected} does not accept the checkpoint's task and scale. */
    public static void require(JobSettings.Model expected, Config config, String inferredTask, int inferredScale) {
        List<String> problems = new ArrayList<>();
        if (!expected.task().isBlank() && !expected.task().equals(inferredTask)) {
            problems.add("model.task = " + expected.task() + " (" + origin(config, "model.task") + ") but the checkpoint "
                    + expected.path() + " is a " + inferredTask + " model; use a preset for " + inferredTask + " or another checkpoint");
        }
        if (expected.scale() > 0 && expected.scale() != inferredScale) {
            problems.add("model.scale = " + expected.scale() + " (" + origin(config, "model.scale") + ") but the checkpoint "
                    + expected.path() + " is a x" + inferredScale + " model; use the x" + inferredScale + " preset or another checkpoint");
        }
        if (!problems.isEmpty()) throw new InvalidConfigException(problems);
    }

    private static String origin(Config config, String key) {
        String path = ConfigSources.ROOT + "." + key;
        return config.hasPath(path) ? config.getValue(path).origin().description() : "default";
    }
}
