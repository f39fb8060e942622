package io.mambair.job.input;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists an object-store prefix with the store's flat paged listing ({@code listFiles(root, true)}: one
 * request per page of keys on S3A, not one per folder), applying the folder rule to each key's folders.
 */
final class FlatListing {
    private FlatListing() {}

    static List<ListedFile> list(FileSystem fs, Path root, String rootUri, ListingRule rule, ListingProgress progress) throws IOException {
        String prefix = root.toUri().getPath().replaceAll("/+$", "") + "/";
        List<ListedFile> out = new ArrayList<>();
        Set<String> folders = new HashSet<>();  // folders judged so far: walked (true) or left out once
        Set<String> leftOut = new HashSet<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            LocatedFileStatus st = it.next();
            if (!st.isFile()) continue;
            String path = st.getPath().toUri().getPath();
            if (!path.startsWith(prefix)) continue;
            String relative = path.substring(prefix.length());
            if (inLeftOutFolder(relative, rule, folders, leftOut)) continue;
            if (!rule.keeps(st.getPath().getName())) continue;
            out.add(new ListedFile(rootUri, relative, st.getLen()));
            progress.found();
        }
        return out;
    }

    /** True when a folder of {@code relative} is left out; each folder is judged (and counted) once. */
    private static boolean inLeftOutFolder(String relative, ListingRule rule, Set<String> folders, Set<String> leftOut) {
        for (int slash = relative.indexOf('/'); slash >= 0; slash = relative.indexOf('/', slash + 1)) {
            String folder = relative.substring(0, slash);
            if (leftOut.contains(folder)) return true;
            if (folders.add(folder) && !rule.enters(folder, folder.substring(folder.lastIndexOf('/') + 1))) {
                leftOut.add(folder);
                return true;
            }
        }
        return false;
    }
}
