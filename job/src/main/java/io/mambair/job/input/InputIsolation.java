package io.mambair.job.input;

import io.mambair.job.config.InvalidConfigException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * The one rule that keeps inputs safe: no folder the run writes (outputs, tables) may be equal to,
 * inside, or above a folder it reads (inputs, references). Paths are compared after qualifying them
 * (relative paths, default file system, s3/s3n/s3a spelled alike, Databricks volumes as {@code /Volumes/...},
 * {@code file:/Volumes/...} or {@code dbfs:/Volumes/...} alike) and resolving symbolic links of
 * their existing part (local and HDFS); an overlap refuses the run at start with one line.
 */
public final class InputIsolation {
    private InputIsolation() {}

    /** A folder of the run and the setting it comes from. */
    public record Root(String key, String path) {}

    /**
     * Throws {@link InvalidConfigException} with one line, naming the first folder of {@code writes}
     * that overlaps one of {@code reads} (later ones, such as tables under that output, add nothing).
     */
    public static void require(List<Root> reads, List<Root> writes, Configuration conf) throws IOException {
        for (Root w : writes) {
            URI wu = resolved(w.path(), conf);
            for (Root r : reads) {
                URI ru = resolved(r.path(), conf);
                String relation = within(wu, ru) ? (wu.equals(ru) ? "is" : "is inside")
                        : within(ru, wu) ? "contains" : null;
                if (relation != null) {
                    throw new InvalidConfigException(List.of(w.key() + " " + wu + " " + relation + " " + r.key() + " " + ru
                            + ": inputs are never written, so the folders a run writes must lie outside the folders it reads"));
                }
            }
        }
    }

    /** {@code path} qualified, its scheme normalised, and the links of its existing part resolved. */
    static URI resolved(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        URI volume = unityCatalogVolume(p.toUri());
        if (volume != null) return volume;
        FileSystem fs = p.getFileSystem(conf);
        Path q = fs.makeQualified(p);
        String scheme = q.toUri().getScheme().toLowerCase(Locale.ROOT);
        String real;
        if (scheme.equals("file")) {
            real = realLocal(q.toUri().getPath());
        } else if (fs.supportsSymlinks()) {
            real = realRemote(fs, q);
        } else {
            real = q.toUri().getPath();
        }
        if (scheme.equals("s3") || scheme.equals("s3n")) scheme = "s3a";
        String authority = q.toUri().getAuthority() == null ? null : q.toUri().getAuthority().toLowerCase(Locale.ROOT);
        String normal = real.length() > 1 && real.endsWith("/") ? real.substring(0, real.length() - 1) : real;
        return URI.create((authority == null ? scheme + ":" : scheme + "://" + authority) + normal);
    }

    /**
     * A Databricks Unity Catalog volume path in its one spelling {@code dbfs:/Volumes/...}: {@code /Volumes/...} (the
     * driver's and executors' FUSE mount, or the default file system {@code dbfs:}), {@code file:/Volumes/...} and
     * {@code dbfs:/Volumes/...} are one place. Null for any other path.
     */
    static URI unityCatalogVolume(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.isEmpty() || scheme.equals("file") || scheme.equals("dbfs")) || uri.getAuthority() != null) return null;
        String path = java.nio.file.Path.of(uri.getPath()).normalize().toString();
        if (!path.startsWith("/Volumes/") && !path.equals("/Volumes")) return null;
        return URI.create("dbfs:" + path);
    }

    private static String realLocal(String path) throws IOException {
        java.nio.file.Path existing = Paths.get(path).normalize();
        java.nio.file.Path rest = existing.getFileSystem().getPath("");
        while (existing.getParent() != null && !Files.exists(existing)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        return existing.toRealPath().resolve(rest).normalize().toString();
    }

    private static String realRemote(FileSystem fs, Path qualified) throws IOException {
        Path existing = qualified;
        StringBuilder rest = new StringBuilder();
        while (existing.getParent() != null && !fs.exists(existing)) {
            rest.insert(0, "/" + existing.getName());
            existing = existing.getParent();
        }
        String base = fs.resolvePath(existing).toUri().getPath();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + rest;
    }

    /** True when {@code inner} is {@code outer} or lies below it. */
    static boolean within(URI inner, URI outer) {
        if (!inner.getScheme().equals(outer.getScheme()) || !java.util.Objects.equals(inner.getAuthority(), outer.getAuthority())) return false;
        String in = inner.getPath();
        String out = outer.getPath();
        return in.equals(out) || in.startsWith(out.endsWith("/") ? out : out + "/");
    }
}
