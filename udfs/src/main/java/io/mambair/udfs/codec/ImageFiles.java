package io.mambair.udfs.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/** Reads and writes image files by path: {@code .npy} as float arrays, everything else through the codecs. */
public final class ImageFiles {
    private ImageFiles() {}

    /** Reads an image or {@code .npy} file, refusing more than {@code maxPixels} pixels. */
    public static DecodedImage read(Path path, long maxPixels) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        String name = path.toString();
        return isNpy(path) ? NpyImage.read(bytes, name, maxPixels) : ImageDecoder.decode(bytes, name, maxPixels);
    }

    /**
     * Writes {@code image} in the format of the file extension ({@code .npy} keeps the float values of the
     * colour planes); the file appears whole or not at all (written beside it, then moved).
     */
    public static void write(Path path, DecodedImage image, int jpegQuality) throws IOException {
        byte[] bytes = isNpy(path) ? NpyImage.write(image.color())
                : ImageEncoder.encode(image, ImageEncoder.formatForExtension(path.getFileName().toString()), jpegQuality);
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean isNpy(Path path) {
        return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
    }
}
