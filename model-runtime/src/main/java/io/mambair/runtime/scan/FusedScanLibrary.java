package io.mambair.runtime.scan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/** Locates the fused selective-scan operator library (system property {@code mambair.scan.library}). */
public final class FusedScanLibrary {
    private FusedScanLibrary() {}

    /** The library path, when one is available on this platform. */
    public static Optional<Path> path() {
        String p = System.getProperty("mambair.scan.library");
        return p == null ? Optional.empty() : Optional.of(Paths.get(p)).filter(Files::isRegularFile);
    }
}
