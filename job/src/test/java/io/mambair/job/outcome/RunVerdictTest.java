package io.mambair.job.outcome;

import io.mambair.job.output.RunCounts;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run fails (exit status 3) above the error fraction and always when every image failed; the console names the failing files. */
class RunVerdictTest {
    @Test
    void failsAboveTheThresholdAndWhenEveryImageFailed() {
        assertFalse(RunVerdict.of(new RunCounts(10, 9, 1, 0, 0), 0.1).failed(), "exactly the threshold passes");
        RunVerdict over = RunVerdict.of(new RunCounts(10, 8, 2, 0, 0), 0.1);
        assertTrue(over.failed());
        assertEquals(3, over.exitStatus());
        assertEquals("2 of 10 images failed (20.0%), more than fail-on-error-fraction = 0.1", over.reason());
        RunVerdict all = RunVerdict.of(new RunCounts(4, 0, 4, 0, 0), 1.0);
        assertTrue(all.failed(), "every image failed even with threshold 1");
        assertEquals("every image failed (4 of 4)", all.reason());
        assertFalse(RunVerdict.of(new RunCounts(4, 0, 2, 2, 0), 0.5).failed(), "skipped images were finished earlier");
        assertEquals(0, RunVerdict.of(new RunCounts(0, 0, 0, 0, 0), 0.0).exitStatus(), "nothing to do is no failure");
    }

    @Test
    void consoleNamesTheFirstTenFailingFilesTheCountAndTheClasses() {
        List<FailedImages.Failure> first = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) first.add(new FailedImages.Failure("img" + i + ".png", "ImageDecodeException", "bad\nheader " + i));
        Map<String, Long> byClass = new LinkedHashMap<>();
        byClass.put("ImageDecodeException", 11L);
        byClass.put("NoReference", 1L);
        String text = RunReport.text("r1", new FailedImages(12, byClass, first), RunVerdict.of(new RunCounts(12, 0, 12, 0, 0), 0.1));
        List<String> lines = text.lines().toList();
        assertEquals("", lines.get(0));
        assertEquals("  failed images: 12 (ImageDecodeException 11, NoReference 1); the first 10:", lines.get(1));
        assertEquals("    img0.png  ImageDecodeException: bad header 0", lines.get(2));
        assertEquals(13, lines.size(), text);
        assertEquals("mambair run r1 FAILED: every image failed (12 of 12); exit status 3 (the tables are written)", lines.get(12));
        assertEquals("", RunReport.text("r2", new FailedImages(0, Map.of(), List.of()), RunVerdict.of(new RunCounts(3, 3, 0, 0, 0), 0.1)));
    }
}
