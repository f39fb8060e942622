package io.mambair.runtime.engine;

import io.mambair.runtime.testing.TestRequirements;
import io.mambair.runtime.graph.ScanFormulation;
import io.mambair.runtime.scan.FusedScanLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The process picks the fused scan only when ONNX Runtime can load its library here, and says why not otherwise. */
class ScanChoiceTest {
    private static final EnumSet<ScanFormulation> BOTH = EnumSet.allOf(ScanFormulation.class);

    @Test
    void aBrokenLibraryFileIsReportedWithItsName(@TempDir Path tmp) throws Exception {
        Path broken = Files.writeString(tmp.resolve("libmambair_scan.so"), "not an ELF file");
        System.setProperty(FusedScanLibrary.PATH_PROPERTY, broken.toString());
        try {
            String reason = ScanChoice.probe().orElseThrow();
            assertTrue(reason.contains(broken.toString()), reason);
        } finally {
            System.clearProperty(FusedScanLibrary.PATH_PROPERTY);
        }
    }

    @Test
    void aMissingLibraryFileIsReported() {
        System.setProperty(FusedScanLibrary.PATH_PROPERTY, "/nonexistent/libmambair_scan.so");
        try {
            assertTrue(ScanChoice.probe().orElseThrow().contains("/nonexistent/libmambair_scan.so"));
        } finally {
            System.clearProperty(FusedScanLibrary.PATH_PROPERTY);
        }
    }

    @Test
    void thePackagedLibraryLoads() {
        TestRequirements.require(FusedScanLibrary.path().isPresent(), "no fused library is built for this platform");
        assertEquals(Optional.empty(), ScanChoice.probe());
    }

    @Test
    void theStandardScanIsChosenWhenTheFusedOneCannotLoad() {
        assertEquals(ScanFormulation.FUSED, ScanChoice.choose(BOTH, Optional.empty()));
        assertEquals(ScanFormulation.STANDARD, ScanChoice.choose(BOTH, Optional.of("no library")));
        assertEquals(ScanFormulation.STANDARD, ScanChoice.choose(EnumSet.of(ScanFormulation.STANDARD), Optional.empty()));
    }

    @Test
    void aFusedOnlyModelThatCannotLoadIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ScanChoice.choose(EnumSet.of(ScanFormulation.FUSED), Optional.of("no library is packaged for Mac OS X/aarch64")));
        assertTrue(e.getMessage().contains("--scan standard") && e.getMessage().contains("Mac OS X/aarch64"), e.getMessage());
    }
}
