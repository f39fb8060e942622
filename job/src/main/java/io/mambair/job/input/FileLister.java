package io.mambair.job.input;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobPattern;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lists the files under a root through the Hadoop FileSystem API (file://, hdfs://, s3a://, s3://),
 * optionally recursively, keeping names that match a Hadoop glob. Hidden names (starting with '.'
 * or '_', such as the job's own temporary files and table folders) are never listed.
 */
public final class FileLister {
    private FileLister() {}

    /** The matching files under {@code root}, sorted by relative path. */
    public static List<ListedFile> list(String root, String glob, boolean recursive, Configuration conf) throws IOException {
        Path rootPath = new Path(root);
        FileSystem fs = rootPath.getFileSystem(conf);
        FileStatus rootStatus;
        try {
            rootStatus = fs.getFileStatus(rootPath);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException("input folder " + root + " does not exist");
        }
        if (!rootStatus.isDirectory()) throw new IOException("input path " + root + " is not a folder");
        String rootUri = rootStatus.getPath().toUri().getPath();
        GlobPattern names = new GlobPattern(glob);
        List<ListedFile> out = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(rootStatus.getPath(), recursive);
        while (it.hasNext()) {
            LocatedFileStatus st = it.next();
            if (!st.isFile()) continue;
            String path = st.getPath().toUri().getPath();
            String relative = relativize(rootUri, path);
            if (relative == null || isHidden(relative) || !names.matches(st.getPath().getName())) continue;
            out.add(new ListedFile(st.getPath().toString(), relative, st.getLen()));
        }
        out.sort(Comparator.comparing(ListedFile::relativePath));
        return out;
    }

    private static String relativize(String root, String path) {
        String prefix = root.endsWith("/") ? root : root + "/";
        return path.startsWith(prefix) ? path.substring(prefix.length()) : null;
    }

    private static boolean isHidden(String relative) {
        for (String seg : relative.split("/")) {
            if (seg.startsWith(".") || seg.startsWith("_")) return true;
        }
        return false;
    }
}
