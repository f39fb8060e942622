package io.mambair.runtime.scan;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * The native library {@code libmambair_scan.so} that implements the operators of {@link FusedScanContract} for ONNX Runtime's
 * CPU provider; register it with {@code SessionOptions.registerCustomOpLibrary(path.toString())}. It is
 * packaged in this jar per platform ({@code native/<os>-<arch>/}, linux-x86_64 and linux-aarch64) and extracted
 * once per JVM. Where the build had no compiler for a platform, {@code libmambair_scan.so.missing} there says why.
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

    /**
     * Why no library is packaged for this JVM's platform (the build's note, or that the platform is not built
     * for); empty when one is packaged.
     */
    public static Optional<String> absenceReason() {
        String resource = platformFolder() + "/" + FILE_NAME;
        ClassLoader loader = FusedScanLibrary.class.getClassLoader();
        if (loader.getResource(resource) != null) return Optional.empty();
        try (InputStream note = loader.getResourceAsStream(resource + ".missing")) {
            if (note != null) {
                return Optional.of("the build of this jar skipped " + platformFolder() + ": "
                        + new String(note.readAllBytes(), StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            return Optional.of("no " + resource + " in this jar (its build note is unreadable: " + e.getMessage() + ")");
        }
        return Optional.of("no " + resource + " in this jar: the library is built for linux-x86_64 and linux-aarch64 only");
    }

    private static Optional<Path> extract() {
        String resource = platformFolder() + "/" + FILE_NAME;
        try (InputStream in = FusedScanLibrary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                LOG.warn("The fused selective scan is unavailable on {}: {}", platformFolder(),
                        absenceReason().orElse("no " + resource + " on the classpath"));
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
