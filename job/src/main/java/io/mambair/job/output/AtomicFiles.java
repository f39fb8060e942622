package io.mambair.job.output;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Writes a file so that it exists either whole or not at all. On object stores whose create is
 * atomic (S3A, GCS: the object appears when the stream closes, a failed or killed upload leaves
 * nothing) the bytes are written directly to the final name, one PUT and no copy. Elsewhere they go
 * to a hidden temporary name in the same folder (never listed as an input, never taken for an
 * output), which is then renamed over the final name; the temporary file is removed when anything
 * fails, and temporaries of a killed writer are removed by {@link #removeTemporaries} at the end of the next run.
 */
public final class AtomicFiles {
    private static final Pattern TEMPORARY = Pattern.compile("^\\..+\\.tmp-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    /** Schemes of file systems whose created files become visible, whole, only when the stream closes. */
    private static final Set<String> ATOMIC_CREATE = Set.of("s3a", "gs");

    private AtomicFiles() {}

    /** True when a file created on {@code fs} appears only whole, at close, so no rename is needed. */
    public static boolean createIsAtomic(FileSystem fs) {
        return ATOMIC_CREATE.contains(fs.getScheme());
    }

    /** Writes {@code bytes} to {@code uri}, replacing what is there. */
    public static void write(String uri, byte[] bytes, Configuration conf) throws IOException {
        Path target = new Path(uri);
        FileSystem fs = target.getFileSystem(conf);
        fs.setWriteChecksum(false);
        if (createIsAtomic(fs)) {
            // The object appears at close: a failed write is aborted, so no truncated object is published.
            FSDataOutputStream out = fs.create(target, true);
            try {
                out.write(bytes);
            } catch (IOException | RuntimeException e) {
                try {
                    out.abort();
                } catch (RuntimeException abort) {
                    e.addSuppressed(abort);
                }
                throw e;
            }
            out.close();
            return;
        }
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
            }
            if (fs.exists(target) && !fs.delete(target, false)) throw new IOException("cannot replace " + target);
            if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
        } catch (IOException | RuntimeException e) {
            try {
                fs.delete(tmp, false);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** True when {@code name} is the name of a temporary file written by {@link #write}. */
    public static boolean isTemporary(String name) {
        return TEMPORARY.matcher(name).matches();
    }

    /**
     * Deletes the temporary files {@link #write} left under {@code folder} (recursively) when its
     * writer was killed; returns how many. A killed attempt that is still finishing (a speculative or
     * retried task Spark has not stopped yet) may add, rename or remove files meanwhile: entries that
     * vanish while the folder is walked are skipped.
     */
    public static int removeTemporaries(String folder, Configuration conf) throws IOException {
        Path root = new Path(folder);
        return removeTemporaries(root.getFileSystem(conf), root);
    }

    private static int removeTemporaries(FileSystem fs, Path dir) throws IOException {
        FileStatus[] entries;
        try {
            entries = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return 0;
        }
        int removed = 0;
        for (FileStatus entry : entries) {
            if (entry.isDirectory()) {
                removed += removeTemporaries(fs, entry.getPath());
            } else if (isTemporary(entry.getPath().getName()) && fs.delete(entry.getPath(), false)) {
                removed++;
            }
        }
        return removed;
    }

    /** True when {@code uri} names an existing file. */
    public static boolean exists(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        return p.getFileSystem(conf).exists(p);
    }
}
