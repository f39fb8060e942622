package io.mambair.job.output;

import io.mambair.job.config.JobSettings.OutputFormat;
import io.mambair.udfs.files.InputNames;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayDeque;
import java.util.Deque;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Maps an input's relative path to its output file under the output root; no name can leave the root. */
public final class OutputPaths {
    /** Source extensions SAME writes in their own format. */
    private static final Set<String> WRITABLE = Set.of("png", "jpg", "jpeg", "tif", "tiff");

    private OutputPaths() {}

    /** The output of one input: its URI, or why it has none (an unsafe relative path). */
    public record Assigned(String uri, String problem) {}

    /**
     * The outputs of a run's inputs ({@code relativePaths}, '/'-separated under the input root): each
     * mirrors its relative path with the extension of {@code format}. Where two inputs would get the
     * same output (x.jpg and x.png written as PNG), each of them keeps its source extension before
     * the output's (x.jpg.png, x.png.png), whatever the listing order. Every path is checked by {@link #resolve}.
     */
    public static Map<String, Assigned> assign(String outputRoot, List<String> relativePaths, OutputFormat format) {
        Map<String, Assigned> out = new LinkedHashMap<>();
        Map<String, Integer> uses = new HashMap<>();
        for (String rel : relativePaths) {
            try {
                String uri = resolve(outputRoot, rel, format, false);
                out.put(rel, new Assigned(uri, null));
                uses.merge(uri, 1, Integer::sum);
            } catch (IllegalArgumentException e) {
                out.put(rel, new Assigned(null, e.getMessage()));
            }
        }
        for (Map.Entry<String, Assigned> e : out.entrySet()) {
            String uri = e.getValue().uri();
            if (uri != null && uses.get(uri) > 1) e.setValue(new Assigned(resolve(outputRoot, e.getKey(), format, true), null));
        }
        return out;
    }

    /**
     * The output URI for {@code relativePath} with the extension of {@code format} (SAME keeps the
     * input's where it can be written: png, jpg/jpeg, tif/tiff; PNG for others such as gif, bmp, webp),
     * after the source extension when {@code keepSourceExtension}. Rejects absolute paths, empty
     * segments, '.', '..' and the segments no listing takes as input ({@link InputNames}: dot-names, the job's own names).
     */
    public static String resolve(String outputRoot, String relativePath, OutputFormat format, boolean keepSourceExtension) {
        if (relativePath.isEmpty() || relativePath.startsWith("/") || relativePath.contains("\\")) {
            throw new IllegalArgumentException("unsafe relative path '" + relativePath + "'");
        }
        for (String seg : relativePath.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..") || InputNames.leftOut(seg) != null) {
                throw new IllegalArgumentException("unsafe relative path '" + relativePath + "'");
            }
        }
        int slash = relativePath.lastIndexOf('/');
        int dot = relativePath.lastIndexOf('.');
        boolean hasExtension = dot > slash + 1;
        String stem = hasExtension && !keepSourceExtension ? relativePath.substring(0, dot) : relativePath;
        String source = hasExtension ? relativePath.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        String extension = format != OutputFormat.SAME ? extension(format) : WRITABLE.contains(source) ? relativePath.substring(dot + 1) : "png";
        String name = keepSourceExtension || format != OutputFormat.SAME || !WRITABLE.contains(source) ? stem + "." + extension : relativePath;
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
}
