package io.mambair.udfs.restore;

import io.mambair.runtime.engine.ScanMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SQL restore option {@code scan}: auto by default, fused or standard when given, a bad value named. */
class RestoreSpecScanTest {
    @Test
    void scanDefaultsToAutoAndParsesEachMode() {
        assertEquals(ScanMode.AUTO, RestoreSpec.parse(null).scan());
        assertEquals(ScanMode.STANDARD, RestoreSpec.parse("device=cpu, scan=standard").scan());
        assertEquals(ScanMode.FUSED, RestoreSpec.parse("scan=FUSED,tile_mode=whole").scan());
        String e = assertThrows(IllegalArgumentException.class, () -> RestoreSpec.parse("scan=gpu")).getMessage();
        assertEquals("restore option scan = 'gpu' is invalid: unknown scan 'gpu' (valid: auto, fused, standard)", e);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RestoreSpec.parse("scans=fused")).getMessage()
                .contains("device, scan, format"));
    }
}
