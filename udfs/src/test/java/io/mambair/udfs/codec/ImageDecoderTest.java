package io.mambair.udfs.codec;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed and unusual images: each decodes to the expected samples or fails with a specific
 * exception, and no decode allocates more than the memory the pixel bound allows. The images are
 * made by the JDK's own ImageIO writers (or crafted byte by byte), independently of {@link ImageEncoder}.
 */
class ImageDecoderTest {
    private static final long MAX_PIXELS = 1 << 20;
    /** Float planes of MAX_PIXELS RGBA pixels plus the reader's own buffers, with headroom. */
    private static final long ALLOCATION_BOUND = MAX_PIXELS * 4 * 4 * 4;

    @BeforeAll
    static void loadReaders() throws IOException {
        // The first use of each ImageIO reader loads classes and tables; keep that out of the measurement.
        for (Arguments a : cases().toList()) {
            try {
                ImageDecoder.decode((byte[]) a.get()[1], "warm-up", MAX_PIXELS);
            } catch (ImageDecodeException expected) {
                // the failing cases fail again below, measured
            }
        }
    }

    static Stream<Arguments> cases() throws IOException {
        BufferedImage noise = rgbNoise(64, 64);
        byte[] png = write(noise, "png");
        byte[] jpeg = write(noise, "jpeg");
        return Stream.of(
                fails("zero bytes", new byte[0], ImageDecodeException.class),
                fails("not an image", "hello, this is text".getBytes(), ImageDecodeException.class),
                fails("truncated PNG", Arrays.copyOf(png, png.length / 2), ImageDecodeException.class),
                fails("truncated JPEG", Arrays.copyOf(jpeg, jpeg.length / 2), ImageDecodeException.class),
                fails("PNG header claiming 100000x100000", hugePng(100_000, 100_000), ImageTooLargeException.class),
                fails("JPEG header claiming 30000x30000", withJpegSize(jpeg, 30000, 30000), ImageTooLargeException.class),
                fails("CMYK JPEG", cmykJpeg(), UnsupportedColorModelException.class),
                decodes("PNG bytes named .jpg", png, d -> {
                    assertEquals("png", d.format());
                    assertPixelsEqual(noise, d);
                }),
                decodes("1x1 PNG", write(rgb(1, 1, 0x0a141e), "png"), d -> {
                    assertEquals(1, d.width());
                    assertEquals(1, d.height());
                    assertArrayEquals(new float[] {10 / 255f, 20 / 255f, 30 / 255f}, d.color().data());
                }),
                decodes("16-bit grey PNG", write(grey16(new int[] {0, 1, 257, 32768, 65534, 65535}), "png"), d -> {
                    assertEquals(16, d.bitDepth());
                    assertEquals(1, d.color().channels());
                    assertArrayEquals(levels(65535, 0, 1, 257, 32768, 65534, 65535), d.color().data());
                }),
                decodes("16-bit RGB TIFF", write(rgb16(new int[] {0, 1, 2, 1000, 40000, 65535}), "tiff"), d -> {
                    assertEquals(16, d.bitDepth());
                    assertEquals("tiff", d.format());
                    assertArrayEquals(levels(65535, 0, 1000, 1, 40000, 2, 65535), d.color().data());
                }),
                decodes("palette PNG", write(palette(false), "png"), d -> {
                    assertEquals(3, d.color().channels());
                    assertNull(d.alpha());
                    assertArrayEquals(levels(255, 255, 0, 0, 128, 0, 64), d.color().data());
                }),
                decodes("grey palette PNG", write(greyPalette(), "png"), d -> {
                    assertEquals(1, d.color().channels());
                    assertArrayEquals(levels(255, 0, 255), d.color().data());
                }),
                decodes("GIF with a transparent palette entry", write(palette(true), "gif"), d -> {
                    assertEquals("gif", d.format());
                    assertArrayEquals(levels(255, 255, 0, 0, 128, 0, 64), d.color().data());
                    assertArrayEquals(levels(255, 255, 0), d.alpha().data());
                }),
                decodes("grey+alpha PNG", write(greyAlpha(), "png"), d -> {
                    assertEquals(1, d.color().channels());
                    assertArrayEquals(levels(255, 10, 200), d.color().data());
                    assertArrayEquals(levels(255, 255, 7), d.alpha().data());
                }),
                decodes("BMP", write(rgb(2, 1, 0x102030), "bmp"), d -> {
                    assertEquals("bmp", d.format());
                    assertArrayEquals(levels(255, 0x10, 0x10, 0x20, 0x20, 0x30, 0x30), d.color().data());
                }),
                decodes("lossless WebP with alpha equals its PNG twin", resource("gradient_rgba.webp"), d -> {
                    try {
                        DecodedImage twin = ImageDecoder.decode(resource("gradient_rgba.png"), "twin", MAX_PIXELS);
                        assertEquals("webp", d.format());
                        assertArrayEquals(twin.color().data(), d.color().data());
                        assertArrayEquals(twin.alpha().data(), d.alpha().data());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesCorrectlyOrFailsWithASpecificErrorWithinTheMemoryBound(String label, byte[] bytes, Object expectation) {
        long before = allocatedBytes();
        if (expectation instanceof Class<?> failure) {
            Exception e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(bytes, label, MAX_PIXELS));
            assertEquals(failure, e.getClass(), () -> label + ": " + e);
            assertTrue(e.getMessage().startsWith(label + ": "), e.getMessage());
        } else {
            DecodedImage decoded = assertDoesNotThrowIo(() -> ImageDecoder.decode(bytes, label, MAX_PIXELS));
            @SuppressWarnings("unchecked") Consumer<DecodedImage> check = (Consumer<DecodedImage>) expectation;
            check.accept(decoded);
        }
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < ALLOCATION_BOUND, label + " allocated " + allocated + " bytes");
    }

    @Test
    void headerInfoNeedsNoPixels() throws IOException {
        ImageInfo info = ImageDecoder.info(hugePng(100_000, 70_000), "huge");
        assertEquals(new ImageInfo(100_000, 70_000, 3, false, 8, "png"), info);
        ImageInfo alpha = ImageDecoder.info(resource("gradient_rgba.webp"), "webp");
        assertEquals(new ImageInfo(24, 16, 3, true, 8, "webp"), alpha);
        assertFalse(ImageDecoder.info(write(grey16(new int[] {1}), "png"), "g").hasAlpha());
    }

    private static Arguments fails(String label, byte[] bytes, Class<? extends ImageDecodeException> failure) {
        return Arguments.of(label, bytes, failure);
    }

    private static Arguments decodes(String label, byte[] bytes, Consumer<DecodedImage> check) {
        return Arguments.of(label, bytes, check);
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T assertDoesNotThrowIo(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new AssertionError("expected to decode, got " + e, e);
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static float[] levels(int max, int... values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i] / (float) max;
        return out;
    }

    private static void assertPixelsEqual(BufferedImage expected, DecodedImage d) {
        int w = expected.getWidth();
        int h = expected.getHeight();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = expected.getRGB(x, y);
                assertEquals((rgb >> 16 & 0xff) / 255f, d.color().get(0, y, x));
                assertEquals((rgb >> 8 & 0xff) / 255f, d.color().get(1, y, x));
                assertEquals((rgb & 0xff) / 255f, d.color().get(2, y, x));
            }
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ImageDecoderTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing test resource " + name);
            return in.readAllBytes();
        }
    }

    private static byte[] write(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) throw new IOException("no JDK writer for " + format + " of " + image);
        return out.toByteArray();
    }

    private static BufferedImage rgb(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
        return img;
    }

    private static BufferedImage rgbNoise(int w, int h) {
        Random r = new Random(5);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, r.nextInt(1 << 24));
        return img;
    }

    private static BufferedImage grey16(int[] values) {
        BufferedImage img = new BufferedImage(values.length, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setPixels(0, 0, values.length, 1, values);
        return img;
    }

    /** 2x1 RGB, 16 bits per sample, interleaved samples r0 g0 b0 r1 g1 b1. */
    private static BufferedImage rgb16(int[] interleaved) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(interleaved.length / 3, 1);
        raster.setPixels(0, 0, interleaved.length / 3, 1, interleaved);
        return new BufferedImage(cm, raster, false, null);
    }

    /** 2x1 indexed: red, then (0,128,64) (transparent when asked). */
    private static BufferedImage palette(boolean transparentSecond) {
        byte[] r = {(byte) 255, 0};
        byte[] g = {0, (byte) 128};
        byte[] b = {0, 64};
        IndexColorModel icm = transparentSecond ? new IndexColorModel(8, 2, r, g, b, 1) : new IndexColorModel(8, 2, r, g, b);
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, icm);
        img.getRaster().setPixels(0, 0, 2, 1, new int[] {0, 1});
        return img;
    }

    private static BufferedImage greyPalette() {
        byte[] v = {0, (byte) 255};
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(1, 2, v, v, v));
        img.getRaster().setPixels(0, 0, 2, 1, new int[] {0, 1});
        return img;
    }

    private static BufferedImage greyAlpha() {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
        raster.setPixels(0, 0, 2, 1, new int[] {10, 255, 200, 7});
        return new BufferedImage(cm, raster, false, null);
    }

    /** A valid PNG signature, IHDR (RGB 8-bit) and CRCs, with a few bytes of image data. */
    private static byte[] hugePng(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[1000]);
        deflater.finish();
        byte[] idat = new byte[100];
        int n = deflater.deflate(idat);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", Arrays.copyOf(idat, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes();
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** The same JPEG with the frame header (SOF0) rewritten to claim another size. */
    private static byte[] withJpegSize(byte[] jpeg, int w, int h) {
        byte[] out = jpeg.clone();
        for (int i = 0; i + 8 < out.length; i++) {
            if ((out[i] & 0xff) == 0xff && (out[i + 1] & 0xff) == 0xc0) {
                out[i + 5] = (byte) (h >> 8);
                out[i + 6] = (byte) h;
                out[i + 7] = (byte) (w >> 8);
                out[i + 8] = (byte) w;
                return out;
            }
        }
        throw new IllegalStateException("no SOF0 marker");
    }

    /** A four-channel (CMYK) JPEG, written by the JDK's writer from a raw raster as print workflows produce. */
    private static byte[] cmykJpeg() throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 8, 8, 4, null);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) raster.setPixel(x, y, new int[] {x * 30, y * 30, 50, 0});
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
