package io.mambair.job.input;

import io.mambair.udfs.files.InputNames.LeftOut;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One listing rule on every walk: camera names are inputs, dot-names, the job's own names and the tables path are not, and each is counted. */
class FileListerTest {
    private static final String GLOB = "*.{png,PNG,jpg,JPG}";
    @TempDir
    Path root;
    private final Configuration conf = new Configuration();

    @BeforeEach
    void tree() throws IOException {
        for (String f : List.of("_DSC0001.JPG", "a.png", "sub/b.png", "sub/deeper/c.jpg", "sub/_DSC0002.JPG", "tables/t.png",
                ".hidden.png", ".git/objects/x.png", "_mambair/rows/r.png", "sub/_temporary/0/p.png", "_SUCCESS",
                "_delta_log/00.json", "notes.txt", "sub/readme.md")) {
            Path p = root.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, f);
        }
    }

    private static final List<String> INPUTS = List.of("_DSC0001.JPG", "a.png", "sub/_DSC0002.JPG", "sub/b.png", "sub/deeper/c.jpg");

    @Test
    void cameraNamesAreInputsAndTheJobsOwnNamesAreNot() throws IOException {
        FileLister.Listing l = FileLister.list(root.toString(), GLOB, true, root.resolve("tables").toString(), conf);
        assertEquals(INPUTS, l.files().stream().map(ListedFile::relativePath).toList());
        assertEquals(2, l.notInputs().count(LeftOut.DOT_NAME), l.notInputs().text());           // .hidden.png, .git
        assertEquals(5, l.notInputs().count(LeftOut.JOB_NAME), l.notInputs().text());           // _mambair, _temporary, _SUCCESS, _delta_log, tables
        assertEquals(2, l.notInputs().count(LeftOut.NOT_MATCHING), l.notInputs().text());       // notes.txt, readme.md
        assertEquals(9, l.notInputs().total());
        assertTrue(l.notInputs().text().startsWith("not inputs 9: 2 dot-files, 5 job files"), l.notInputs().text());
        ListedFile first = l.files().get(0);
        assertEquals(Files.size(root.resolve("_DSC0001.JPG")), first.length());
        assertEquals(root.resolve("_DSC0001.JPG").toUri().getPath(), new org.apache.hadoop.fs.Path(first.uri()).toUri().getPath());
    }

    @Test
    void everyWalkListsTheSameInputsAndCounts() throws IOException {
        FileSystem fs = FileSystem.getLocal(conf);
        org.apache.hadoop.fs.Path r = fs.makeQualified(new org.apache.hadoop.fs.Path(root.toString()));
        String rootUri = r + "/";
        for (boolean recursive : List.of(true, false)) {
            ListingRule local = new ListingRule(GLOB, recursive, "tables");
            ListingRule parallel = new ListingRule(GLOB, recursive, "tables");
            List<String> a = sorted(LocalWalk.list(root, rootUri, local, new ListingProgress("t")));
            List<String> b = sorted(ParallelWalk.list(fs, r, rootUri, parallel, new ListingProgress("t")));
            assertEquals(a, b, "recursive " + recursive);
            assertEquals(local.notInputs().text(), parallel.notInputs().text(), "recursive " + recursive);
            if (recursive) {
                ListingRule flat = new ListingRule(GLOB, true, "tables");
                assertEquals(INPUTS, sorted(FlatListing.list(fs, r, rootUri, flat, new ListingProgress("t"))));
                assertEquals(local.notInputs().text(), flat.notInputs().text());
                assertEquals(INPUTS, a);
            } else {
                assertEquals(List.of("_DSC0001.JPG", "a.png"), a);
                assertEquals(1, local.notInputs().count(LeftOut.NOT_RECURSIVE), local.notInputs().text());  // sub (tables is a job name first)
            }
        }
    }

    @Test
    void aTablesPathElsewhereExcludesNothing() throws IOException {
        FileLister.Listing l = FileLister.list(root.toString(), "*.png", true, "/elsewhere/tables", conf);
        assertTrue(l.files().stream().anyMatch(f -> f.relativePath().equals("tables/t.png")));
    }

    private static List<String> sorted(List<ListedFile> files) {
        return files.stream().map(ListedFile::relativePath).sorted().toList();
    }
}
