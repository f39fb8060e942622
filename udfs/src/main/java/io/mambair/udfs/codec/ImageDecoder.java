package io.mambair.udfs.codec;

import io.mambair.runtime.image.PlanarImage;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Decodes PNG, JPEG, BMP, GIF (first frame), TIFF and WebP bytes into planar float images through
 * ImageIO. The format is found from the content, never from the name. The header is read first and
 * images over the pixel bound are refused before any pixel buffer exists; a reader warning (such as
 * a truncated JPEG, which ImageIO would otherwise return half grey) is an error. By default the image
 * comes out as a viewer shows it (EXIF orientation applied, see {@link DecodeOptions}).
 */
public final class ImageDecoder {
    static {
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
    }

    private ImageDecoder() {}

    /** Reads only the header: size, channels, alpha, bit depth and format, as {@link DecodeOptions#DEFAULT} decodes it. */
    public static ImageInfo info(byte[] bytes, String name) throws ImageDecodeException {
        return info(bytes, name, DecodeOptions.DEFAULT);
    }

    /** Reads only the header, describing the image {@link #decode(byte[], String, long, DecodeOptions)} returns with {@code options}. */
    public static ImageInfo info(byte[] bytes, String name, DecodeOptions options) throws ImageDecodeException {
        return withReader(bytes, name, reader -> {
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            ColorModel cm = colorModelOf(reader, name);
            Layout layout = layoutOf(cm, name);
            String format = formatOf(reader);
            boolean swap = options.applyOrientation() && ExifOrientation.swapsAxes(ExifOrientation.of(bytes, format));
            return new ImageInfo(swap ? h : w, swap ? w : h, options.grey() ? 1 : layout.colorChannels,
                    layout.alpha && !options.grey(), layout.bitDepth, format);
        });
    }

    /** {@link #decode(byte[], String, long, DecodeOptions)} with {@link DecodeOptions#DEFAULT}. */
    public static DecodedImage decode(byte[] bytes, String name, long maxPixels) throws ImageDecodeException {
        return decode(bytes, name, maxPixels, DecodeOptions.DEFAULT);
    }

    /**
     * Decodes the first image in {@code bytes} as {@code options} say; {@code name} only labels errors.
     * Fails with {@link ImageTooLargeException} when width*height exceeds {@code maxPixels}.
     */
    public static DecodedImage decode(byte[] bytes, String name, long maxPixels, DecodeOptions options) throws ImageDecodeException {
        DecodedImage stored = withReader(bytes, name, reader -> {
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w <= 0 || h <= 0) throw new ImageDecodeException(name + ": header declares an empty image " + w + "x" + h);
            if ((long) w * h > maxPixels) {
                throw new ImageTooLargeException(name + ": " + w + "x" + h + " = " + (long) w * h
                        + " pixels exceeds the limit of " + maxPixels + " pixels");
            }
            Layout layout = layoutOf(colorModelOf(reader, name), name);
            String format = formatOf(reader);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            ImageReadParam param = reader.getDefaultReadParam();
            boolean jpegToY = options.grey() && "jpeg".equals(format) && layout.colorChannels == 3 && greyDestination(reader, param);
            BufferedImage image = reader.read(0, param);
            if (!warnings.isEmpty()) throw new ImageDecodeException(name + ": corrupt image data: " + String.join("; ", warnings));
            if (image.isAlphaPremultiplied()) image.coerceData(false);
            DecodedImage planar = toPlanar(image, format, name);
            if (!options.grey()) return planar;
            PlanarImage grey = jpegToY ? planar.color() : OpenCvGrey.convert(planar.color(), planar.bitDepth(), format);
            return DecodedImage.of(grey, planar.bitDepth(), format);
        });
        if (!options.applyOrientation()) return stored;
        int orientation = ExifOrientation.of(bytes, stored.format());
        return orientation == 1 ? stored : stored.mapPlanes(p -> ExifOrientation.apply(p, orientation));
    }

    /** Asks the JPEG decoder for one grey channel (libjpeg's JCS_GRAYSCALE output: the Y channel, as OpenCV reads it); false when not offered. */
    private static boolean greyDestination(ImageReader reader, ImageReadParam param) throws IOException {
        for (Iterator<ImageTypeSpecifier> it = reader.getImageTypes(0); it.hasNext(); ) {
            ImageTypeSpecifier t = it.next();
            ColorModel cm = t.getColorModel();
            if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumComponents() == 1) {
                param.setDestinationType(t);
                return true;
            }
        }
        return false;
    }

    private interface ReaderTask<T> {
        T run(ImageReader reader) throws IOException;
    }

    private static <T> T withReader(byte[] bytes, String name, ReaderTask<T> task) throws ImageDecodeException {
        if (bytes == null || bytes.length == 0) throw new ImageDecodeException(name + ": empty file (0 bytes)");
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageDecodeException(name + ": not a recognised image format (PNG, JPEG, BMP, GIF, TIFF, WebP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return task.run(reader);
            } finally {
                reader.dispose();
            }
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO readers report malformed data with IIOException but also with unchecked exceptions.
            throw new ImageDecodeException(name + ": malformed or truncated image: " + e, e);
        }
    }

    private static ColorModel colorModelOf(ImageReader reader, String name) throws IOException {
        ImageTypeSpecifier type;
        try {
            type = reader.getRawImageType(0);
            if (type == null) {
                Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                type = types.hasNext() ? types.next() : null;
            }
        } catch (IIOException e) {
            if (String.valueOf(e.getMessage()).contains("Unsupported Image Type")) {
                throw new UnsupportedColorModelException(name + ": unsupported colour model (CMYK or YCCK JPEG); convert it to RGB first");
            }
            throw e;
        }
        if (type == null) throw new UnsupportedColorModelException(name + ": the reader offers no colour model for this image");
        return type.getColorModel();
    }

    private record Layout(int colorChannels, boolean alpha, int bitDepth) {}

    private static Layout layoutOf(ColorModel cm, String name) throws UnsupportedColorModelException {
        if (cm instanceof IndexColorModel icm) {
            return new Layout(isGreyPalette(icm) ? 1 : 3, icm.hasAlpha(), 8);
        }
        if (cm instanceof DirectColorModel dcm) {
            return new Layout(3, dcm.hasAlpha(), 8);
        }
        if (cm instanceof ComponentColorModel) {
            int csType = cm.getColorSpace().getType();
            if (csType != ColorSpace.TYPE_RGB && csType != ColorSpace.TYPE_GRAY) {
                throw new UnsupportedColorModelException(name + ": unsupported colour space " + colorSpaceName(csType)
                        + "; only grey and RGB images are read (convert CMYK/YCCK/Lab images to RGB first)");
            }
            int transfer = cm.getTransferType();
            if (transfer != DataBuffer.TYPE_BYTE && transfer != DataBuffer.TYPE_USHORT) {
                throw new UnsupportedColorModelException(name + ": unsupported sample type (only 8- and 16-bit integer samples are read)");
            }
            int bits = cm.getComponentSize(0);
            if (bits != 8 && bits != 16) {
                throw new UnsupportedColorModelException(name + ": unsupported sample size of " + bits + " bits");
            }
            return new Layout(cm.getNumColorComponents(), cm.hasAlpha(), bits);
        }
        throw new UnsupportedColorModelException(name + ": unsupported colour model " + cm.getClass().getSimpleName());
    }

    private static DecodedImage toPlanar(BufferedImage image, String format, String name) throws UnsupportedColorModelException {
        ColorModel cm = image.getColorModel();
        Layout layout = layoutOf(cm, name);
        int w = image.getWidth();
        int h = image.getHeight();
        PlanarImage color = PlanarImage.zeros(layout.colorChannels, h, w);
        PlanarImage alpha = layout.alpha ? PlanarImage.zeros(1, h, w) : null;
        int n = w * h;
        if (cm instanceof ComponentColorModel) {
            Raster raster = image.getRaster();
            float max = (1 << layout.bitDepth) - 1;
            int[] row = new int[w];
            for (int c = 0; c < layout.colorChannels + (layout.alpha ? 1 : 0); c++) {
                float[] dst = c < layout.colorChannels ? color.data() : alpha.data();
                int base = c < layout.colorChannels ? c * n : 0;
                for (int y = 0; y < h; y++) {
                    raster.getSamples(0, y, w, 1, c, row);
                    for (int x = 0; x < w; x++) dst[base + y * w + x] = row[x] / max;
                }
            }
        } else {
            // Palette and packed models: sRGB 8-bit through the colour model.
            int[] argb = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, argb, 0, w);
                for (int x = 0; x < w; x++) {
                    int v = argb[x];
                    int i = y * w + x;
                    if (layout.colorChannels == 1) {
                        color.data()[i] = (v & 0xff) / 255f;
                    } else {
                        color.data()[i] = (v >>> 16 & 0xff) / 255f;
                        color.data()[n + i] = (v >>> 8 & 0xff) / 255f;
                        color.data()[2 * n + i] = (v & 0xff) / 255f;
                    }
                    if (alpha != null) alpha.data()[i] = (v >>> 24) / 255f;
                }
            }
        }
        return new DecodedImage(color, alpha, layout.bitDepth, format);
    }

    private static boolean isGreyPalette(IndexColorModel icm) {
        for (int i = 0; i < icm.getMapSize(); i++) {
            if (icm.getRed(i) != icm.getGreen(i) || icm.getGreen(i) != icm.getBlue(i)) return false;
        }
        return true;
    }

    private static String formatOf(ImageReader reader) throws IOException {
        String f = reader.getFormatName().toLowerCase(Locale.ROOT);
        return switch (f) {
            case "jpg" -> "jpeg";
            case "tif" -> "tiff";
            default -> f;
        };
    }

    private static String colorSpaceName(int type) {
        return switch (type) {
            case ColorSpace.TYPE_CMYK -> "CMYK";
            case ColorSpace.TYPE_CMY -> "CMY";
            case ColorSpace.TYPE_YCbCr -> "YCbCr";
            case ColorSpace.TYPE_Lab -> "Lab";
            default -> "type " + type;
        };
    }
}
