package io.mambair.job.input;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Lists a folder tree with one {@code listStatus} per folder, {@value #THREADS} folders at a time (hdfs://
 * and other stores with real folders: a round trip per folder, so breadth is what makes it fast).
 */
final class ParallelWalk {
    static final int THREADS = 16;

    private ParallelWalk() {}

    static List<ListedFile> list(FileSystem fs, Path root, String rootUri, ListingRule rule, ListingProgress progress) throws IOException {
        ConcurrentLinkedQueue<ListedFile> out = new ConcurrentLinkedQueue<>();
        ForkJoinPool pool = new ForkJoinPool(THREADS);
        try {
            pool.invoke(new Folder(fs, root, "", rootUri, rule, progress, out));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            pool.shutdownNow();
        }
        return new ArrayList<>(out);
    }

    private static final class Folder extends RecursiveAction {
        private final FileSystem fs;
        private final Path path;
        private final String relative;
        private final String rootUri;
        private final ListingRule rule;
        private final ListingProgress progress;
        private final ConcurrentLinkedQueue<ListedFile> out;

        Folder(FileSystem fs, Path path, String relative, String rootUri, ListingRule rule, ListingProgress progress,
               ConcurrentLinkedQueue<ListedFile> out) {
            this.fs = fs;
            this.path = path;
            this.relative = relative;
            this.rootUri = rootUri;
            this.rule = rule;
            this.progress = progress;
            this.out = out;
        }

        @Override
        protected void compute() {
            FileStatus[] entries;
            try {
                entries = fs.listStatus(path);
            } catch (FileNotFoundException e) {
                if (!relative.isEmpty()) return;  // a folder deleted while the tree was walked
                throw new UncheckedIOException(e);
            } catch (IOException e) {
                throw new UncheckedIOException("listing " + path + " failed", e);
            }
            List<Folder> below = new ArrayList<>();
            for (FileStatus st : entries) {
                String name = st.getPath().getName();
                String rel = relative.isEmpty() ? name : relative + "/" + name;
                if (st.isDirectory()) {
                    if (rule.enters(rel, name)) below.add(new Folder(fs, st.getPath(), rel, rootUri, rule, progress, out));
                } else if (st.isFile() && rule.keeps(name)) {
                    out.add(new ListedFile(rootUri, rel, st.getLen()));
                    progress.found();
                }
            }
            invokeAll(below);
        }
    }
}
