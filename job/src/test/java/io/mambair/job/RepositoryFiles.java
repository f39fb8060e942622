package io.mambair.job;

import io.mambair.runtime.testing.SharedData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Files of this checkout that tests read: the repository root, its folders, the built jars and the test classpath. */
public final class RepositoryFiles {
    /** Where the quickstart preset expects the bundled demo model (relative to the repository root). */
    public static final String DEMO_MODEL = "models/mambair_demo_light_x2.pth";

    private RepositoryFiles() {}

    /** The repository root: {@code -Dmambair.repo.root} (set by the job pom), else the parent of the working directory. */
    public static Path root() {
        String configured = System.getProperty("mambair.repo.root");
        Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
        return root.toAbsolutePath().normalize();
    }

    /** A path under the repository root. */
    public static Path resolve(String relative) {
        return root().resolve(relative);
    }

    /** Every regular file under a repository folder, sorted. */
    public static List<Path> filesUnder(String folder) {
        try (Stream<Path> files = Files.walk(resolve(folder))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries of the test JVM's classpath. */
    public static List<String> testClasspath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(cp.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).toList();
    }

    /** The ONNX Runtime jar (Maven com.microsoft.onnxruntime:onnxruntime) on the test classpath. */
    public static Path onnxRuntimeJar() {
        return testClasspath().stream().map(Path::of)
                .filter(p -> p.getFileName().toString().matches("onnxruntime(_gpu)?-[0-9.]+\\.jar"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no onnxruntime jar on the test classpath"));
    }

    /** The model the quickstart restores with: the bundled demo model once it is in the repository, else the shared x2 fixture. */
    public static Path quickstartModel() {
        Path demo = resolve(DEMO_MODEL);
        return Files.isRegularFile(demo) ? demo : SharedData.fixture("protocol_light_sr_x2_tiled").resolve("model.pth");
    }
}
