package io.mambair.job.output;

import io.mambair.job.config.JobSettings.OutputFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayDeque;
import java.util.Deque;

import java.util.Locale;

/** Maps an input's relative path to its output file under the output root; no name can leave the root. */
public final class OutputPaths {
    private OutputPaths() {}

    /**
     * The output URI for {@code relativePath} (a '/'-separated path under the input root) with the
     * extension of {@code format} (SAME keeps the input's). Rejects absolute paths, empty segments,
     * '.', '..' and hidden segments.
     */
    public static String resolve(String outputRoot, String relativePath, OutputFormat format) {
        if (relativePath.isEmpty() || relativePath.startsWith("/") || relativePath.contains("\\")) {
            throw new IllegalArgumentException("unsafe relative path '" + relativePath + "'");
        }
        for (String seg : relativePath.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..") || seg.startsWith(".") || seg.startsWith("_")) {
                throw new IllegalArgumentException("unsafe relative path '" + relativePath + "'");
            }
        }
        String name = relativePath;
        if (format != OutputFormat.SAME) {
            int slash = name.lastIndexOf('/');
            int dot = name.lastIndexOf('.');
            String stem = dot > slash + 1 ? name.substring(0, dot) : name;
            name = stem + "." + extension(format);
        }
        Path root = new Path(outputRoot);
        Path out = new Path(root, name);
        String rootStr = root.toUri().getPath().replaceAll("/+$", "") + "/";
        if (!out.toUri().getPath().startsWith(rootStr)) {
            throw new IllegalArgumentException("output for '" + relativePath + "' would leave the output root");
        }
        return out.toString();
    }

    /**
     * Refuses to write {@code outputUri} when the output file or a folder between {@code outputRoot}
     * and it is a symbolic link (which could point outside the root). Checked only on file systems
     * with links (local, HDFS); object stores have none. A link created after the check is not caught.
     */
    public static void requireNoLinks(String outputRoot, String outputUri, Configuration conf) throws IOException {
        Path out = new Path(outputUri);
        FileSystem fs = out.getFileSystem(conf);
        if (!fs.supportsSymlinks()) return;
        int rootDepth = fs.makeQualified(new Path(outputRoot)).depth();
        Deque<Path> below = new ArrayDeque<>();
        for (Path p = fs.makeQualified(out); p != null && p.depth() > rootDepth; p = p.getParent()) below.push(p);
        for (Path p : below) {
            Boolean link = isLink(fs, p);
            if (link == null) return;
            if (link) throw new UnsafeOutputPathException(p + " is a symbolic link; outputs are never written through links");
        }
    }

    /** Whether {@code p} is a link, or null when it does not exist. */
    private static Boolean isLink(FileSystem fs, Path p) throws IOException {
        if ("file".equals(fs.getUri().getScheme())) {
            // RawLocalFileSystem.getFileLinkStatus reads the link of new File(path.toString()), which
            // misses every link of a qualified file: path; ask the JDK directly.
            java.nio.file.Path local = java.nio.file.Path.of(p.toUri().getPath());
            if (!Files.exists(local, LinkOption.NOFOLLOW_LINKS)) return null;
            return Files.isSymbolicLink(local);
        }
        try {
            return fs.getFileLinkStatus(p).isSymlink();
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    /** The file extension written for a format. */
    public static String extension(OutputFormat format) {
        return switch (format) {
            case PNG -> "png";
            case JPG -> "jpg";
            case TIFF -> "tiff";
            case SAME -> throw new IllegalArgumentException("SAME has no extension of its own");
        };
    }

    /** The encoder format name for an output file name ("png", "jpeg", ...), from its extension. */
    public static String formatOf(String outputUri) {
        String n = outputUri.toLowerCase(Locale.ROOT);
        return n.substring(n.lastIndexOf('.') + 1);
    }
}
