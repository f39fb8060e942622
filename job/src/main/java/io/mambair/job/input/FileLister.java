package io.mambair.job.input;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Lists the input files under a root through the store's fastest listing: a walk of the local file system
 * for {@code file:} ({@link LocalWalk}), one flat paged listing for object stores ({@link FlatListing}:
 * s3a://, gs://, ...), and parallel folder listings elsewhere ({@link ParallelWalk}: hdfs://). What is an
 * input is decided by {@link ListingRule} (the shared {@link io.mambair.udfs.files.InputNames} rule, the
 * tables folder, the name glob); what is left out is counted.
 */
public final class FileLister {
    /** Schemes whose stores have no real folders and list a whole prefix in pages. */
    private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "oss", "cos", "cosn");

    private FileLister() {}

    /** The inputs of one listing, sorted by relative path, and the entries it left out. */
    public record Listing(List<ListedFile> files, NotInputs notInputs) {}

    /**
     * The inputs under {@code root} whose names match {@code glob}, in sub-folders too when {@code recursive};
     * {@code excluded} is a folder never listed (the tables path; it may lie elsewhere, or be blank).
     */
    public static Listing list(String root, String glob, boolean recursive, String excluded, Configuration conf) throws IOException {
        Path rootPath = new Path(root);
        FileSystem fs = rootPath.getFileSystem(conf);
        FileStatus rootStatus;
        try {
            rootStatus = fs.getFileStatus(rootPath);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException("input folder " + root + " does not exist");
        }
        if (!rootStatus.isDirectory()) throw new IOException("input path " + root + " is not a folder");
        Path qualifiedRoot = rootStatus.getPath();
        String rootUri = qualifiedRoot.toString().endsWith("/") ? qualifiedRoot.toString() : qualifiedRoot + "/";
        ListingRule rule = new ListingRule(glob, recursive, relativeFolder(fs, qualifiedRoot, excluded));
        ListingProgress progress = new ListingProgress(root);
        List<ListedFile> files;
        String scheme = fs.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            files = LocalWalk.list(java.nio.file.Path.of(qualifiedRoot.toUri().getPath()), rootUri, rule, progress);
        } else if (recursive && OBJECT_STORES.contains(scheme)) {
            files = FlatListing.list(fs, qualifiedRoot, rootUri, rule, progress);
        } else {
            files = ParallelWalk.list(fs, qualifiedRoot, rootUri, rule, progress);
        }
        files = new ArrayList<>(files);
        files.sort(Comparator.comparing(ListedFile::relativePath));
        progress.finished(files.size(), rule.notInputs());
        return new Listing(files, rule.notInputs());
    }

    /** {@code folder} relative to {@code root} (no trailing '/') when it lies below it, else null. */
    private static String relativeFolder(FileSystem fs, Path root, String folder) {
        if (folder == null || folder.isBlank()) return null;
        Path f = new Path(folder);
        if (f.toUri().getScheme() != null && !f.toUri().getScheme().equalsIgnoreCase(fs.getScheme())) return null;
        String r = root.toString().replaceAll("/+$", "") + "/";
        String p = fs.makeQualified(f).toString().replaceAll("/+$", "");
        return p.startsWith(r) ? p.substring(r.length()) : null;
    }
}
