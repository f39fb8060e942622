package io.mambair.job.output;

import io.mambair.job.config.JobSettings.OutputFormat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputPathsTest {
    @Test
    void mirrorsTheRelativePathWithTheOutputExtension() {
        assertEquals("s3a://b/out/x/y/photo.png", OutputPaths.resolve("s3a://b/out", "x/y/photo.jpg", OutputFormat.PNG, false));
        assertEquals("file:/tmp/o/a.b.tiff", OutputPaths.resolve("file:/tmp/o", "a.b.jpg", OutputFormat.TIFF, false));
        assertEquals("hdfs://nn:1/o/a.jpg", OutputPaths.resolve("hdfs://nn:1/o/", "a.jpg", OutputFormat.SAME, false));
    }

    @Test
    void sameFormatWritesPngForFormatsThatCannotBeWritten() {
        assertEquals("/o/anim.png", OutputPaths.resolve("/o", "anim.gif", OutputFormat.SAME, false));
        assertEquals("/o/x.webp.png", OutputPaths.resolve("/o", "x.webp", OutputFormat.SAME, true));
        assertEquals("/o/x.TIF", OutputPaths.resolve("/o", "x.TIF", OutputFormat.SAME, false));
    }

    @Test
    void inputsThatWouldShareAnOutputEachKeepTheirSourceExtension() {
        Map<String, OutputPaths.Assigned> a = OutputPaths.assign("/o", List.of("x.png", "d/y.jpg", "x.jpg", "z.tiff", "d/y.bmp", "w.gif"),
                OutputFormat.PNG);
        assertEquals("/o/x.png.png", a.get("x.png").uri());
        assertEquals("/o/x.jpg.png", a.get("x.jpg").uri());
        assertEquals("/o/d/y.jpg.png", a.get("d/y.jpg").uri());
        assertEquals("/o/d/y.bmp.png", a.get("d/y.bmp").uri());
        assertEquals("/o/z.png", a.get("z.tiff").uri(), "no collision, plain name");
        assertEquals("/o/w.png", a.get("w.gif").uri());
        Map<String, OutputPaths.Assigned> reversed = OutputPaths.assign("/o", List.of("x.jpg", "x.png"), OutputFormat.PNG);
        assertEquals("/o/x.png.png", reversed.get("x.png").uri(), "the rule does not depend on the listing order");
        Map<String, OutputPaths.Assigned> same = OutputPaths.assign("/o", List.of("x.jpg", "x.png"), OutputFormat.SAME);
        assertEquals("/o/x.jpg", same.get("x.jpg").uri(), "SAME keeps distinct extensions apart");
        assertEquals("/o/x.png", same.get("x.png").uri());
    }

    @Test
    void anUnsafePathGetsAProblemInsteadOfAnOutput() {
        OutputPaths.Assigned a = OutputPaths.assign("/o", List.of("../x.png"), OutputFormat.PNG).get("../x.png");
        assertNull(a.uri());
        assertTrue(a.problem().contains("unsafe relative path"), a.problem());
    }

    @Test
    void namesThatWouldLeaveTheRootOrHideAreRefused() {
        for (String bad : new String[] {"../x.png", "a/../../x.png", "/etc/x.png", "a//b.png", "./a.png", ".hidden.png", "_mambair/x.png", "a/_temporary/x.png", "a\\..\\b.png"}) {
            assertThrows(IllegalArgumentException.class, () -> OutputPaths.resolve("/out", bad, OutputFormat.PNG, false), bad);
        }
    }

    @Test
    void cameraNamesStartingWithAnUnderscoreGetTheirOutput() {
        assertEquals("/out/_DSC0001.png", OutputPaths.resolve("/out", "_DSC0001.JPG", OutputFormat.PNG, false));
        assertEquals("/out/_day/_DSC0002.png", OutputPaths.resolve("/out", "_day/_DSC0002.JPG", OutputFormat.PNG, false));
    }
}
