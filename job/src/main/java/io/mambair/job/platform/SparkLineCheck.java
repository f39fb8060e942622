package io.mambair.job.platform;

import java.util.Optional;

/**
 * Refuses to start a job jar on the other Spark line: a Scala 2.12 jar on Spark 4 (or a 2.13 jar on Spark 3.5) runs
 * until Spark calls one of its listeners and then stops the context mid-run, so the mismatch is caught before any
 * session exists and named in one line with the jar to use.
 */
public final class SparkLineCheck {
    private SparkLineCheck() {}

    /** The one-line refusal when {@code running} is not the line {@code built} is for; empty when they match. */
    public static Optional<String> mismatch(SparkLine built, SparkLine running) {
        if (built.scalaBinaryVersion().equals(running.scalaBinaryVersion())) return Optional.empty();
        return Optional.of(String.format("error: this mambair job jar (mambair-job-*-%s.jar) is built for %s, but runs on %s;"
                + " use mambair-job-*-%s.jar (built with%s)", built.jarClassifier(), built, running, running.jarClassifier(),
                running.scalaBinaryVersion().equals("2.12") ? "out -Pspark4" : " -Pspark4"));
    }
}
