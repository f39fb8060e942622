package io.mambair.runtime.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The zip container {@code torch.save} writes: {@code <folder>/data.pkl}, one {@code <folder>/data/<key>} entry of
 * raw bytes per storage, optionally {@code <folder>/byteorder}. Every entry read is checked to be stored
 * uncompressed (as torch writes it, which rules out zip bombs), to have the declared length and a matching CRC.
 */
final class TorchZipArchive implements AutoCloseable {
    private static final String PICKLE = "data.pkl";

    private final Path file;
    private final long fileSize;
    private final ZipFile zip;
    private final String folder;
    private final ByteOrder byteOrder;

    private TorchZipArchive(Path file, long fileSize, ZipFile zip, String folder) {
        this.file = file;
        this.fileSize = fileSize;
        this.zip = zip;
        this.folder = folder;
        this.byteOrder = readByteOrder();
    }

    /** Opens a torch.save zip, failing clearly when it is truncated, corrupt or not laid out like one. */
    static TorchZipArchive open(Path file) {
        ZipFile zip;
        long size;
        try {
            size = Files.size(file);
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointException("checkpoint " + file + " is not a readable zip archive (truncated or corrupt?): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
        try {
            return new TorchZipArchive(file, size, zip, pickleFolder(file, zip));
        } catch (RuntimeException e) {
            closeQuietly(zip, e);
            throw e;
        }
    }

    private static String pickleFolder(Path file, ZipFile zip) {
        List<String> folders = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            String name = e.getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.equals(name.substring(0, slash + 1) + PICKLE)) folders.add(name.substring(0, slash + 1));
        }
        if (folders.size() != 1) {
            throw new CheckpointException("checkpoint " + file + " is a zip archive but not a torch.save checkpoint: expected exactly one "
                    + "'<folder>/data.pkl' entry, found " + folders.size());
        }
        return folders.get(0);
    }

    private ByteOrder readByteOrder() {
        ZipEntry entry = zip.getEntry(folder + "byteorder");
        if (entry == null) return ByteOrder.LITTLE_ENDIAN;
        String order = new String(read(entry, entry.getSize()), StandardCharsets.US_ASCII).trim();
        return switch (order) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new CheckpointException("checkpoint " + file + " has an unknown byteorder '" + order + "'");
        };
    }

    /** The pickled object graph ({@code <folder>/data.pkl}). */
    byte[] pickle() {
        ZipEntry entry = zip.getEntry(folder + PICKLE);
        return read(entry, entry.getSize());
    }

    /** Storage {@code key} ({@code <folder>/data/<key>}) holding {@code numel} elements of {@code type}, widened to float32. */
    float[] storage(String key, ElementType type, long numel) {
        String name = folder + "data/" + key;
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new CheckpointException("checkpoint " + file + " is missing storage entry '" + name + "' (truncated or corrupt?)");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(numel, (long) type.bytes());
        } catch (ArithmeticException e) {
            throw new CheckpointException("storage '" + key + "' declares an absurd size of " + numel + " elements");
        }
        if (entry.getSize() != bytes) {
            throw new CheckpointException("storage '" + key + "' declares " + numel + " " + type.name().toLowerCase()
                    + " elements (" + bytes + " bytes) but entry '" + name + "' holds " + entry.getSize() + " bytes");
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new CheckpointException("storage '" + key + "' holds " + bytes + " bytes; storages over 2 GiB are not supported");
        }
        return type.decode(ByteBuffer.wrap(read(entry, bytes)).order(byteOrder), (int) numel);
    }

    private byte[] read(ZipEntry entry, long declared) {
        String name = entry.getName();
        if (entry.getMethod() != ZipEntry.STORED) {
            throw new CheckpointException("entry '" + name + "' of " + file + " is compressed; torch.save stores every entry "
                    + "uncompressed, so this is not an unmodified torch checkpoint (refused to avoid decompression bombs)");
        }
        if (declared < 0 || declared > fileSize) {
            throw new CheckpointException("entry '" + name + "' of " + file + " declares " + declared + " bytes but the file has only "
                    + fileSize + " (corrupt zip directory)");
        }
        byte[] data = new byte[(int) declared];
        try (InputStream in = zip.getInputStream(entry)) {
            int got = in.readNBytes(data, 0, data.length);
            if (got != data.length) {
                throw new CheckpointException("entry '" + name + "' of " + file + " ends after " + got + " of " + declared
                        + " bytes (truncated)");
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot read entry '" + name + "' of " + file + " (truncated or corrupt?): " + e.getMessage(), e);
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
            throw new CheckpointException("entry '" + name + "' of " + file + " is corrupt: its CRC-32 is "
                    + Long.toHexString(crc.getValue()) + ", the zip directory says " + Long.toHexString(entry.getCrc()));
        }
        return data;
    }

    private static void closeQuietly(ZipFile zip, RuntimeException cause) {
        try {
            zip.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            throw new CheckpointException("cannot close checkpoint " + file, e);
        }
    }
}
