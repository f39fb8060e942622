package io.mambair.udfs.degrade;

import io.mambair.runtime.testing.SharedData;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageDecoder;
import io.mambair.udfs.codec.ImageEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bicubic degradation against the real MATLAB-made Set5 LR_bicubic files. */
class BicubicDownscalingTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void everySet5ImageDownscaledEqualsTheMatlabLowResolutionFile(int scale) throws IOException {
        Path set5 = SharedData.require("data/benchmarks/Set5");
        List<Path> hrFiles;
        try (Stream<Path> s = Files.list(set5.resolve("HR"))) {
            hrFiles = s.sorted().toList();
        }
        assertEquals(5, hrFiles.size());
        for (Path hrFile : hrFiles) {
            String stem = hrFile.getFileName().toString().replace(".png", "");
            Path lrFile = set5.resolve("LR_bicubic/X" + scale + "/" + stem + "x" + scale + ".png");
            DecodedImage hr = ImageDecoder.decode(Files.readAllBytes(hrFile), hrFile.toString(), 1 << 24);
            DecodedImage ours = Degrader.apply(hr, Degradation.bicubic(scale));
            byte[] png = ImageEncoder.encode(ours, "png", 0);
            DecodedImage written = ImageDecoder.decode(png, "ours", 1 << 24);
            DecodedImage matlab = ImageDecoder.decode(Files.readAllBytes(lrFile), lrFile.toString(), 1 << 24);
            assertEquals(matlab.height(), written.height(), stem);
            assertEquals(matlab.width(), written.width(), stem);
            assertEquals(8, written.bitDepth());
            assertArrayEquals(matlab.color().data(), written.color().data(), stem + " x" + scale + " differs from MATLAB");
        }
    }
}
