package io.mambair.udfs.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/** Reads and writes image files: {@code .npy} float arrays (found by content when reading, by extension when writing) and every codec format. */
public final class ImageFiles {
    /** The one default bound on decoded pixels (width x height) of the CLI, the SQL functions and the job's input.max-pixels. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    private ImageFiles() {}

    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Reads an image or {@code .npy} file as a viewer shows it, refusing more than {@code maxPixels} pixels. */
    public static DecodedImage read(Path path, long maxPixels) throws IOException {
        return read(path, maxPixels, DecodeOptions.DEFAULT);
    }

    /** Reads an image or {@code .npy} file as {@code options} say ({@code .npy} arrays are taken as they are). */
    public static DecodedImage read(Path path, long maxPixels, DecodeOptions options) throws IOException {
        return decode(Files.readAllBytes(path), path.toString(), maxPixels, options);
    }

    /** Decodes image or {@code .npy} bytes, told apart by their content, as a viewer shows them. */
    public static DecodedImage decode(byte[] bytes, String name, long maxPixels) throws ImageDecodeException {
        return decode(bytes, name, maxPixels, DecodeOptions.DEFAULT);
    }

    /** Decodes image or {@code .npy} bytes, told apart by their content, as {@code options} say for images. */
    public static DecodedImage decode(byte[] bytes, String name, long maxPixels, DecodeOptions options) throws ImageDecodeException {
        boolean npy = bytes != null && bytes.length >= NPY_MAGIC.length && Arrays.equals(bytes, 0, NPY_MAGIC.length, NPY_MAGIC, 0, NPY_MAGIC.length);
        return npy ? NpyImage.read(bytes, name, maxPixels) : ImageDecoder.decode(bytes, name, maxPixels, options);
    }

    /**
     * Writes {@code image} in the format of the file extension ({@code .npy} keeps the float values of the
     * colour planes); the file appears whole or not at all (written beside it, then moved).
     */
    public static void write(Path path, DecodedImage image, int jpegQuality) throws IOException {
        byte[] bytes = encode(image, isNpy(path) ? "npy" : ImageEncoder.formatForExtension(path.getFileName().toString()), jpegQuality);
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // not Files.createTempFile: its owner-only permissions would stay on the final file; this one gets the umask's
        Path tmp = dir.resolve("." + path.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code image} as {@code format} bytes: {@code "npy"} keeps the float values of the colour planes, else {@link ImageEncoder}. */
    public static byte[] encode(DecodedImage image, String format, int jpegQuality) {
        return "npy".equals(format) ? NpyImage.write(image.color()) : ImageEncoder.encode(image, format, jpegQuality);
    }

    private static boolean isNpy(Path path) {
        return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
    }
}
