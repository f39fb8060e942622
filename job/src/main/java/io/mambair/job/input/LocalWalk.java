package io.mambair.job.input;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Lists a local folder tree with one NIO walk (file attributes come with the directory entries; Hadoop's
 * local listing looks up permissions per file). Linked folders are walked, a link loop and a dangling
 * link are passed over.
 */
final class LocalWalk {
    private LocalWalk() {}

    static List<ListedFile> list(Path root, String rootUri, ListingRule rule, ListingProgress progress) throws IOException {
        List<ListedFile> out = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root)) return FileVisitResult.CONTINUE;
                return rule.enters(relative(dir), dir.getFileName().toString()) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && rule.keeps(file.getFileName().toString())) {
                    out.add(new ListedFile(rootUri, relative(file), attrs.size()));
                    progress.found();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof FileSystemLoopException || e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                throw e;
            }

            private String relative(Path p) {
                return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
            }
        });
        return out;
    }
}
