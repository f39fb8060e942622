package io.mambair.runtime.scan;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * The native library {@code libmambair_scan.so} that implements the operators of {@link FusedScanContract} for ONNX Runtime's
 * CPU provider; register it with {@code SessionOptions.registerCustomOpLibrary(path.toString())}. It is
 * packaged in this jar per platform ({@code native/<os>-<arch>/}) and extracted once per JVM.
 */
public final class FusedScanLibrary {
    /** System property naming a library file to use instead of the packaged one. */
    public static final String PATH_PROPERTY = "mambair.scan.library";

    private static final Logger LOG = LoggerFactory.getLogger(FusedScanLibrary.class);
    private static final String FILE_NAME = "libmambair_scan.so";

    private static Optional<Path> extracted;  // guarded by the class lock; null until first use

    private FusedScanLibrary() {}

    /**
     * The library for this platform: the file named by {@value #PATH_PROPERTY} when set, else the packaged
     * one extracted to a private temporary file (deleted at JVM exit); empty when none is packaged here.
     *
     * @throws IllegalStateException when the property names a missing file, or extraction fails
     */
    public static Optional<Path> path() {
        String override = System.getProperty(PATH_PROPERTY);
        if (override != null && !override.isBlank()) {
            Path path = Paths.get(override).toAbsolutePath();
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException(PATH_PROPERTY + " names " + path + ", which is not a file");
            }
            return Optional.of(path);
        }
        return packaged();
    }

    /** Classpath folder of the library for this JVM's platform, e.g. {@code native/linux-x86_64}. */
    static String platformFolder() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("amd64")) arch = "x86_64";
        if (arch.equals("arm64")) arch = "aarch64";
        return "native/" + os + "-" + arch;
    }

    private static synchronized Optional<Path> packaged() {
        if (extracted == null) extracted = extract();
        return extracted;
    }

    private static Optional<Path> extract() {
        String resource = platformFolder() + "/" + FILE_NAME;
        try (InputStream in = FusedScanLibrary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                LOG.info("No fused selective-scan library is packaged for {} (no {} on the classpath); the fused scan is unavailable",
                        platformFolder(), resource);
                return Optional.empty();
            }
            Path file = Files.createTempFile("libmambair_scan", ".so");  // owner-only permissions
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract " + resource + " to a temporary file", e);
        }
    }
}
