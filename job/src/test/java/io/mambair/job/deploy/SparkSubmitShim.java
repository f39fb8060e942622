package io.mambair.job.deploy;

import io.mambair.job.RepositoryFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code bin/spark-submit} for tests: runs {@code org.apache.spark.deploy.SparkSubmit} (what Spark's own script
 * runs) on the Spark classpath of this build (the test classpath without this project's classes or ONNX Runtime),
 * so a job comes only from the jar it is given.
 */
final class SparkSubmitShim {
    private SparkSubmitShim() {}

    /** Writes the shim as {@code dir/bin/spark-submit}, logging each call's arguments to {@code argsLog}. */
    static Path create(Path dir, Path argsLog) throws IOException {
        return create(dir, argsLog, RepositoryFiles.testClasspath());
    }

    /** As {@link #create(Path, Path)}, on the Spark of {@code classpath} (e.g. another build's classpath.txt entries). */
    static Path create(Path dir, Path argsLog, List<String> classpath) throws IOException {
        Path root = RepositoryFiles.root();
        List<String> sparkOnly = new ArrayList<>();
        for (String entry : classpath) {
            Path p = Path.of(entry).toAbsolutePath().normalize();
            String name = p.getFileName().toString();
            if (!p.startsWith(root) && !name.matches("onnxruntime(_gpu)?-[0-9.]+\\.jar") && !name.startsWith("mambair-")) sparkOnly.add(p.toString());
        }
        return ProcessRunner.script(dir.resolve("bin/spark-submit"), "#!/usr/bin/env bash\n"
                + "printf '%s\\n' \"$@\" > '" + argsLog + "'\n"
                + "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -Xmx1g "
                + System.getProperty("mambair.test.jvm.args", "") + " -cp '" + String.join(":", sparkOnly) + "' "
                + "org.apache.spark.deploy.SparkSubmit \"$@\"\n");
    }
}
