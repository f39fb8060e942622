package io.mambair.udfs.codec;

import io.mambair.runtime.testing.SharedData;
import io.mambair.runtime.testing.DebianNumpy;
import io.mambair.runtime.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Reading as grey equals OpenCV's {@code cv2.imread(path, cv2.IMREAD_GRAYSCALE)} pixel for pixel. */
@Slow
class OpenCvGreyReadTest {
    @TempDir
    Path tmp;

    @Test
    void greyReadOfPngTiffAndJpegEqualsOpenCvsImreadGrayscale() throws Exception {
        Path photos = SharedData.require("data/photos");
        List<Path> files = List.of(SharedData.require("data/benchmarks/Kodak24/kodim03.png"), SharedData.require("data/benchmarks/CBSD68/101085.png"),
                SharedData.require("data/benchmarks/McMaster/5.tif"), photos.resolve("mate_Dune.jpg"),
                photos.resolve("skimage_coffee.png"), photos.resolve("plasma_Grey_2560x1600.jpg"));
        for (int i = 0; i < files.size(); i++) {
            DebianNumpy.run("""
                    import sys, cv2, numpy as np
                    cv2.imread(sys.argv[1], cv2.IMREAD_GRAYSCALE).astype(np.uint8).tofile(sys.argv[2])
                    """, files.get(i).toString(), tmp.resolve("cv" + i).toString());
            int[] opencv = DebianNumpy.readUInt8(tmp.resolve("cv" + i));
            DecodedImage ours = ImageDecoder.decode(Files.readAllBytes(files.get(i)), files.get(i).toString(), 1 << 24, DecodeOptions.GREY);
            assertEquals(1, ours.color().channels(), files.get(i).toString());
            assertNull(ours.alpha());
            float[] v = ours.color().data();
            assertEquals(opencv.length, v.length, files.get(i).toString());
            int differing = 0;
            for (int k = 0; k < v.length; k++) if (Math.round(v[k] * 255f) != opencv[k]) differing++;
            assertEquals(0, differing, files.get(i) + ": pixels differing from OpenCV");
        }
    }
}
