package io.mambair.udfs.codec;

import io.mambair.runtime.image.PlanarImage;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;

/**
 * Encodes a {@link DecodedImage} as PNG (8/16-bit), TIFF (8/16-bit) or JPEG (8-bit, quality 1..100).
 * PNG and TIFF keep the image's bit depth (float images are written 16-bit) and its alpha; JPEG
 * stores neither, so an image with alpha is refused there.
 */
public final class ImageEncoder {
    static {
        ImageIO.setUseCache(false);
    }

    private ImageEncoder() {}

    /** The format name for a file extension (png, jpeg, tiff), or an error for anything else. */
    public static String formatForExtension(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".png")) return "png";
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) return "jpeg";
        if (lower.endsWith(".tif") || lower.endsWith(".tiff")) return "tiff";
        throw new IllegalArgumentException(fileName + ": cannot write this format (use .png, .jpg/.jpeg, .tif/.tiff or .npy)");
    }

    /** Encodes {@code image} in {@code format} ("png", "jpeg" or "tiff"); {@code jpegQuality} (1..100) is used by JPEG only. */
    public static byte[] encode(DecodedImage image, String format, int jpegQuality) {
        String f = format.toLowerCase(Locale.ROOT);
        return switch (f) {
            case "png", "tiff", "tif" -> write(toBufferedImage(image.color(), image.alpha(), image.bitDepth() == 8 ? 8 : 16),
                    f.startsWith("tif") ? "tiff" : "png", null);
            case "jpeg", "jpg" -> {
                if (image.hasAlpha()) throw new IllegalArgumentException("JPEG cannot store alpha; write PNG or TIFF instead");
                if (jpegQuality < 1 || jpegQuality > 100) throw new IllegalArgumentException("JPEG quality must be 1..100, got " + jpegQuality);
                yield write(toBufferedImage(image.color(), null, 8), "jpeg", jpegQuality / 100f);
            }
            default -> throw new IllegalArgumentException("unsupported output format '" + format + "' (png, jpeg or tiff)");
        };
    }

    private static BufferedImage toBufferedImage(PlanarImage color, PlanarImage alpha, int bitDepth) {
        int c = color.channels();
        int bands = c + (alpha == null ? 0 : 1);
        int w = color.width();
        int h = color.height();
        int transfer = bitDepth == 8 ? DataBuffer.TYPE_BYTE : DataBuffer.TYPE_USHORT;
        ColorSpace cs = ColorSpace.getInstance(c == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        ComponentColorModel cm = new ComponentColorModel(cs, alpha != null, false,
                alpha != null ? Transparency.TRANSLUCENT : Transparency.OPAQUE, transfer);
        WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        int max = Quantizer.maxLevel(bitDepth);
        int[] row = new int[w];
        for (int b = 0; b < bands; b++) {
            PlanarImage src = b < c ? color : alpha;
            int plane = b < c ? b : 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) row[x] = Quantizer.level(src.get(plane, y, x), max);
                raster.setSamples(0, y, w, 1, b, row);
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }

    private static byte[] write(BufferedImage image, String format, Float jpegQuality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) throw new IllegalStateException("no ImageIO writer for " + format);
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (jpegQuality != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(jpegQuality);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding " + format + " failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
