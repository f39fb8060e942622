package io.mambair.udfs.codec;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import io.mambair.runtime.image.PlanarImage;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The EXIF orientation (TIFF tag 274, values 1..8) of a JPEG or TIFF file, read with TwelveMonkeys'
 * metadata reader, and the turn or mirror that shows the stored pixels as a viewer does. A missing,
 * unreadable or out-of-range tag means 1 (as stored), as viewers treat it.
 */
public final class ExifOrientation {
    private ExifOrientation() {}

    /** The orientation of {@code bytes} in {@code format} ("jpeg" or "tiff"; every other format is 1). */
    public static int of(byte[] bytes, String format) {
        try {
            Directory ifd0 = switch (format) {
                case "jpeg" -> jpegExif(bytes);
                case "tiff" -> read(new ByteArrayInputStream(bytes));
                default -> null;
            };
            Entry e = ifd0 == null ? null : ifd0.getEntryById(TIFF.TAG_ORIENTATION);
            if (e == null || !(e.getValue() instanceof Number n)) return 1;
            int v = n.intValue();
            return v >= 1 && v <= 8 ? v : 1;
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }

    /** True when {@code orientation} swaps width and height (5..8). */
    public static boolean swapsAxes(int orientation) {
        return orientation >= 5;
    }

    private static Directory jpegExif(byte[] bytes) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            if (exif.isEmpty()) return null;
            InputStream data = exif.get(0).data();
            if (data.read() < 0) return null; // the pad byte after "Exif\0"
            return read(data);
        }
    }

    private static Directory read(InputStream tiff) throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(tiff)) {
            return new TIFFReader().read(in);
        }
    }

    /** {@code image} as shown for {@code orientation}: 2 mirror, 3 turn 180, 4 flip, 5 transpose, 6 turn 90 clockwise, 7 transverse, 8 turn 90 anticlockwise. */
    public static PlanarImage apply(PlanarImage image, int orientation) {
        if (orientation == 1) return image;
        int c = image.channels();
        int h = image.height();
        int w = image.width();
        boolean swap = swapsAxes(orientation);
        int oh = swap ? w : h;
        int ow = swap ? h : w;
        PlanarImage out = PlanarImage.zeros(c, oh, ow);
        float[] src = image.data();
        float[] dst = out.data();
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    int sy;
                    int sx;
                    switch (orientation) {
                        case 2 -> { sy = y; sx = w - 1 - x; }
                        case 3 -> { sy = h - 1 - y; sx = w - 1 - x; }
                        case 4 -> { sy = h - 1 - y; sx = x; }
                        case 5 -> { sy = x; sx = y; }
                        case 6 -> { sy = h - 1 - x; sx = y; }
                        case 7 -> { sy = h - 1 - x; sx = w - 1 - y; }
                        case 8 -> { sy = x; sx = w - 1 - y; }
                        default -> throw new IllegalArgumentException("EXIF orientation must be 1..8, got " + orientation);
                    }
                    dst[base + y * ow + x] = src[base + sy * w + sx];
                }
            }
        }
        return out;
    }
}
