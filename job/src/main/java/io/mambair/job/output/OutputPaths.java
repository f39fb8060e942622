package io.mambair.job.output;

import io.mambair.job.config.JobSettings.OutputFormat;
import org.apache.hadoop.fs.Path;

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
