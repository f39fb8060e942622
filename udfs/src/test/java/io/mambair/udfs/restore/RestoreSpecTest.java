package io.mambair.udfs.restore;

import io.mambair.runtime.restore.TileMode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestoreSpecTest {
    @Test
    void aMapAndAStringGiveTheSameSettings() {
        RestoreSpec fromString = RestoreSpec.parse("tile_mode=blend, tile=96, overlap=8, batch=2, self_ensemble=true, format=jpeg, quality=80");
        RestoreSpec fromMap = RestoreSpec.of(Map.of("tile_mode", "blend", "TILE", "96", "overlap", "8", "batch", "2",
                "self_ensemble", "TRUE", "format", "jpeg", "quality", "80"));
        assertEquals(fromString, fromMap);
        assertEquals(TileMode.BLEND, fromMap.options().tileMode());
        assertEquals(96, fromMap.options().tile());
        assertTrue(fromMap.options().selfEnsemble());
        assertEquals(80, fromMap.quality());
    }

    @Test
    void aMisspelledBooleanIsAnErrorNamingTheOptionNotSilentlyFalse() {
        String m = assertThrows(IllegalArgumentException.class, () -> RestoreSpec.parse("self_ensemble=ture")).getMessage();
        assertEquals("restore option self_ensemble = 'ture' is invalid: valid: true or false", m);
    }

    @Test
    void badNumbersAndFormatsNameTheOption() {
        assertEquals("restore option tile = 'abc' is invalid: must be an integer",
                assertThrows(IllegalArgumentException.class, () -> RestoreSpec.parse("tile=abc")).getMessage());
        assertEquals("restore option batch = '0' is invalid: must be a positive integer",
                assertThrows(IllegalArgumentException.class, () -> RestoreSpec.of(Map.of("batch", "0"))).getMessage());
        assertEquals("restore option quality = '101' is invalid: valid: 1..100",
                assertThrows(IllegalArgumentException.class, () -> RestoreSpec.parse("quality=101")).getMessage());
        assertEquals("restore option format = 'gif' is invalid: valid: png, tiff, jpeg",
                assertThrows(IllegalArgumentException.class, () -> RestoreSpec.parse("format=gif")).getMessage());
        assertEquals("restore option 'tile' is not key=value",
                assertThrows(IllegalArgumentException.class, () -> RestoreSpec.parse("tile")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RestoreSpec.parse("colour=blue")).getMessage()
                .startsWith("unknown restore option 'colour' (valid: tile_mode, tile,"));
    }

    @Test
    void oneOptionsValueIsParsedOnce() {
        RestoreSpec first = RestoreSpec.cached("tile_mode=whole,device=cpu");
        assertSame(first, RestoreSpec.cached("tile_mode=whole,device=cpu"));
        assertSame(RestoreSpec.cached(Map.of("tile_mode", "whole")), RestoreSpec.cached(Map.of("tile_mode", "whole")));
        assertEquals(RestoreSpec.parse(null), RestoreSpec.cached(null));
    }
}
