package io.mambair.runtime.npy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files holding little-endian float32 arrays in C order, the
 * raw-tensor exchange format of the CLI. (No maintained Java library reads .npy without a native
 * dependency; the format is a short text header and raw data.)
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** A float32 array with its shape. */
    public record FloatArray(long[] shape, float[] data) {
        public FloatArray {
            long n = 1;
            for (long d : shape) n = Math.multiplyExact(n, d);
            if (n != data.length) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not match " + data.length + " values");
        }
    }

    /** Reads a float32 (or float64, converted) C-order array. */
    public static FloatArray read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        }
    }

    /** Reads from a stream; {@code name} only labels errors. */
    public static FloatArray read(InputStream in, String name) throws IOException {
        byte[] magic = in.readNBytes(6);
        if (!Arrays.equals(magic, MAGIC)) throw new IOException(name + ": not a .npy file (bad magic)");
        int major = in.read();
        int minor = in.read();
        if (major < 1 || major > 3 || minor < 0) throw new IOException(name + ": unsupported .npy version " + major);
        int headerLen;
        if (major == 1) {
            byte[] b = in.readNBytes(2);
            if (b.length < 2) throw new IOException(name + ": truncated .npy header");
            headerLen = (b[0] & 0xff) | (b[1] & 0xff) << 8;
        } else {
            byte[] b = in.readNBytes(4);
            if (b.length < 4) throw new IOException(name + ": truncated .npy header");
            headerLen = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (headerLen < 0 || headerLen > 1 << 20) throw new IOException(name + ": implausible .npy header length " + headerLen);
        }
        byte[] hb = in.readNBytes(headerLen);
        if (hb.length < headerLen) throw new IOException(name + ": truncated .npy header");
        String header = new String(hb, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, name, "descr");
        if ("True".equals(group(FORTRAN, header, name, "fortran_order"))) {
            throw new IOException(name + ": Fortran-order .npy arrays are not supported");
        }
        long[] shape = Arrays.stream(group(SHAPE, header, name, "shape").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        long count = 1;
        for (long d : shape) {
            if (d < 0) throw new IOException(name + ": negative dimension in shape");
            count = Math.multiplyExact(count, d);
        }
        if (count > Integer.MAX_VALUE - 8) throw new IOException(name + ": array of " + count + " values is too large");
        int itemSize = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new IOException(name + ": unsupported dtype '" + descr + "' (expected <f4 or <f8)");
        };
        byte[] raw = in.readNBytes((int) Math.min(Integer.MAX_VALUE, count * itemSize));
        if (raw.length < count * itemSize) throw new IOException(name + ": truncated .npy data (" + raw.length + " of " + count * itemSize + " bytes)");
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] data = new float[(int) count];
        if (itemSize == 4) {
            bb.asFloatBuffer().get(data);
        } else {
            for (int i = 0; i < data.length; i++) data[i] = (float) bb.getDouble();
        }
        return new FloatArray(shape, data);
    }

    /** Writes a float32 C-order array (format version 1.0). */
    public static void write(Path path, long[] shape, float[] data) throws IOException {
        try (OutputStream out = Files.newOutputStream(path)) {
            write(out, shape, data);
        }
    }

    /** Writes to a stream. */
    public static void write(OutputStream out, long[] shape, float[] data) throws IOException {
        new FloatArray(shape, data);
        StringBuilder dims = new StringBuilder();
        for (long d : shape) dims.append(d).append(", ");
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + (dims.length() > 0 ? dims.substring(0, dims.length() - 2) : "") + ")";
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int total = MAGIC.length + 4 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xff);
        out.write(header.length() >>> 8);
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(data);
        out.write(bb.array());
    }

    private static String group(Pattern p, String header, String name, String field) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new IOException(name + ": .npy header has no '" + field + "'");
        return m.group(1);
    }
}
