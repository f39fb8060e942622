package io.mambair.job.input;

import io.mambair.udfs.codec.ImageDecodeException;
import io.mambair.udfs.codec.ImageDecoder;
import io.mambair.udfs.codec.ImageInfo;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Serializable;

/**
 * Reads an image's header (size, channels, bit depth) without decoding its pixels. Only the first
 * {@value #PREFIX_BYTES} bytes are fetched; the whole file is read only when the header lies further in.
 */
public final class HeaderProbe {
    static final int PREFIX_BYTES = 256 * 1024;

    private HeaderProbe() {}

    /** The header of one file, or why it could not be read. */
    public record Result(int width, int height, int channels, int bitDepth, String errorClass, String errorMessage)
            implements Serializable {
        public boolean ok() { return errorClass == null; }

        static Result of(ImageInfo info) {
            return new Result(info.width(), info.height(), info.channels(), info.bitDepth(), null, null);
        }

        static Result failed(String errorClass, String message) {
            return new Result(0, 0, 0, 0, errorClass, message);
        }
    }

    /**
     * Probes {@code file}; never throws for a bad or vanished file, only records the error. Other
     * I/O failures of the file system are thrown (unchecked), so Spark retries the task.
     */
    public static Result probe(ListedFile file, Configuration conf) {
        if (file.length() == 0) return Result.failed("EmptyFile", file.relativePath() + ": file is empty");
        try {
            Path p = new Path(file.uri());
            FileSystem fs = p.getFileSystem(conf);
            byte[] prefix = read(fs, p, (int) Math.min(file.length(), PREFIX_BYTES));
            try {
                return Result.of(ImageDecoder.info(prefix, file.relativePath()));
            } catch (ImageDecodeException e) {
                if (prefix.length == file.length()) throw e;
                byte[] all = read(fs, p, Math.toIntExact(file.length()));
                return Result.of(ImageDecoder.info(all, file.relativePath()));
            }
        } catch (FileNotFoundException e) {
            return Result.failed("FileNotFoundException", file.relativePath() + ": deleted after it was listed");
        } catch (EOFException e) {
            return Result.failed("EOFException", file.relativePath() + ": shorter than when it was listed ("
                    + file.length() + " bytes)");
        } catch (ImageDecodeException | RuntimeException e) {
            return Result.failed(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the header of " + file.uri() + " failed", e);
        }
    }

    private static byte[] read(FileSystem fs, Path p, int n) throws IOException {
        byte[] b = new byte[n];
        try (FSDataInputStream in = fs.open(p)) {
            in.readFully(0, b);
        }
        return b;
    }
}
