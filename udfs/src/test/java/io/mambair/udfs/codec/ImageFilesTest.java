package io.mambair.udfs.codec;

import io.mambair.runtime.image.PlanarImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageFilesTest {
    @Test
    void writtenImagesGetTheSamePermissionsAsAnyNewFileAndLeaveNoTemporary(@TempDir Path dir) throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path image = dir.resolve("out.png");
        ImageFiles.write(image, DecodedImage.of(PlanarImage.zeros(3, 4, 5), 8, "png"), 95);
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(image));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
    }
}
