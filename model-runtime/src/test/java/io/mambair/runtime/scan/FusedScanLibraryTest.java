package io.mambair.runtime.scan;

import io.mambair.runtime.testing.TestRequirements;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FusedScanLibraryTest {

    @Test
    void packagedLibraryIsExtractedOncePerJvm() {
        Path first = TestRequirements.fusedScanLibrary();
        assertTrue(Files.isRegularFile(first));
        assertEquals(first, FusedScanLibrary.path().orElseThrow());
    }

    @Test
    void systemPropertyOverridesThePackagedLibrary() throws Exception {
        Path file = Files.createTempFile("custom-scan", ".so");
        try {
            System.setProperty(FusedScanLibrary.PATH_PROPERTY, file.toString());
            assertEquals(file.toAbsolutePath(), FusedScanLibrary.path().orElseThrow());
        } finally {
            System.clearProperty(FusedScanLibrary.PATH_PROPERTY);
            Files.delete(file);
        }
    }

    @Test
    void overrideNamingAMissingFileIsAClearError() {
        try {
            System.setProperty(FusedScanLibrary.PATH_PROPERTY, "/nonexistent/libmambair_scan.so");
            IllegalStateException e = assertThrows(IllegalStateException.class, FusedScanLibrary::path);
            assertTrue(e.getMessage().contains("/nonexistent/libmambair_scan.so"), e.getMessage());
        } finally {
            System.clearProperty(FusedScanLibrary.PATH_PROPERTY);
        }
    }

    @Test
    void platformFolderNamesOsAndArchitectureLikeTheBuild() {
        String folder = FusedScanLibrary.platformFolder();
        assertTrue(folder.matches("native/[a-z0-9]+-[a-z0-9_]+"), folder);
    }
}
