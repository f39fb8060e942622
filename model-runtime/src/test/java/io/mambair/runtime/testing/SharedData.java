package io.mambair.runtime.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates test data. A relative path (e.g. {@code data/benchmarks/Set5}) is looked up first in the repository's
 * {@code testdata/} (the official fixtures and Set5, see testdata/README.md), then under the shared root: the
 * system property {@code mambair.shared}, else the environment variable {@code MAMBAIR_SHARED}, else
 * {@code ../shared} (the large sets and photos). A missing path skips the calling test, naming it, or fails it
 * under {@code -Dmambair.strict=true} (see {@link TestRequirements}).
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

    /** The repository's {@code testdata/}: {@code -Dmambair.testdata} (set by the build), else found above the working directory. */
    public static Path repositoryTestData() {
        String p = System.getProperty("mambair.testdata");
        if (p != null && !p.isBlank()) return Paths.get(p).toAbsolutePath().normalize();
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("testdata/README.md"))) return dir.resolve("testdata");
        }
        return Paths.get("testdata").toAbsolutePath();
    }

    /** {@code testdata/relative} when the repository holds it, else {@code root()/relative}; skips (or fails, strict) when neither exists. */
    public static Path require(String relative) {
        Path inRepository = repositoryTestData().resolve(relative);
        if (Files.exists(inRepository)) return inRepository;
        Path shared = root().resolve(relative);
        TestRequirements.require(Files.exists(shared),
                "shared data " + relative + " (looked in " + shared + "; set -Dmambair.shared=... or MAMBAIR_SHARED)");
        return shared;
    }

    /**
     * Whether {@link #require} would find {@code relative}. For {@code @BeforeAll} set-up only: a skip there is not
     * reported per test by Surefire, so such classes check here and call {@code require} in {@code @BeforeEach}.
     */
    public static boolean exists(String relative) {
        return Files.exists(repositoryTestData().resolve(relative)) || Files.exists(root().resolve(relative));
    }

    /** The folder of one official fixture case, e.g. {@code classic_sr_x2}. */
    public static Path fixture(String name) {
        return require("fixtures/official/" + name);
    }
}
