package io.mambair.runtime.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Locates the read-only shared data (benchmarks, photos, official fixtures). The root is the system
 * property {@code mambair.shared}, else the environment variable {@code MAMBAIR_SHARED}, else
 * {@code ../shared}; tests that need it are skipped with a message when it is absent.
 */
public final class SharedData {
    private SharedData() {}

    /** The shared root, whether or not it exists. */
    public static Path root() {
        String p = System.getProperty("mambair.shared");
        if (p == null || p.isBlank()) p = System.getenv("MAMBAIR_SHARED");
        if (p == null || p.isBlank()) p = "../shared";
        return Paths.get(p).toAbsolutePath().normalize();
    }

    /** {@code root()/relative}, skipping the calling test when it does not exist. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        assumeTrue(Files.exists(p), "shared data not found at " + p + " (set -Dmambair.shared=...); skipping");
        return p;
    }

    /** The folder of one official fixture case, e.g. {@code classic_sr_x2}. */
    public static Path fixture(String name) {
        return require("fixtures/official/" + name);
    }
}
