package io.mambair.job.output;

import io.mambair.job.config.JobSettings.OutputFormat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OutputPathsTest {
    @Test
    void mirrorsTheRelativePathWithTheOutputExtension() {
        assertEquals("s3a://b/out/x/y/photo.png", OutputPaths.resolve("s3a://b/out", "x/y/photo.jpg", OutputFormat.PNG));
        assertEquals("file:/tmp/o/a.b.tiff", OutputPaths.resolve("file:/tmp/o", "a.b.jpg", OutputFormat.TIFF));
        assertEquals("hdfs://nn:1/o/a.jpg", OutputPaths.resolve("hdfs://nn:1/o/", "a.jpg", OutputFormat.SAME));
    }

    @Test
    void namesThatWouldLeaveTheRootOrHideAreRefused() {
        for (String bad : new String[] {"../x.png", "a/../../x.png", "/etc/x.png", "a//b.png", "./a.png", ".hidden.png", "_mambair/x.png", "a\\..\\b.png"}) {
            assertThrows(IllegalArgumentException.class, () -> OutputPaths.resolve("/out", bad, OutputFormat.PNG), bad);
        }
    }
}
