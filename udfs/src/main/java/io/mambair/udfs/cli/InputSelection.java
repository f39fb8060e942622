package io.mambair.udfs.cli;

import io.mambair.udfs.files.InputNames;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@code restore --input} names: one file, every image under a folder (recursively), or the files a
 * glob matches ({@code photos/*.jpg}, {@code shots/**}{@code /*.png}), each with the path it keeps under an
 * output folder (relative to the folder, or to the glob's fixed leading directories).
 */
record InputSelection(boolean singleFile, Path base, List<Path> files) {
    /** File extensions taken from a folder or a glob. */
    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp", "gif", "npy");

    /** The files {@code input} names, sorted; a folder or glob that matches nothing is an error. */
    static InputSelection of(String input) throws IOException {
        Path path = Path.of(input);
        if (!isGlob(input)) {
            if (Files.isRegularFile(path)) return new InputSelection(true, path.toAbsolutePath().getParent(), List.of(path));
            if (!Files.isDirectory(path)) throw new NoSuchFileException(input);
            return nonEmpty(input, path, walk(path, p -> isImage(p)));
        }
        Path base = fixedPrefix(path);
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + input);
        return nonEmpty(input, base, walk(base, p -> glob.matches(p) || glob.matches(p.normalize())));
    }

    /** Where {@code file} goes under {@code outputFolder}: its relative path, {@code suffix} added to its stem. */
    Path outputFor(Path file, Path outputFolder, String suffix) {
        Path rel = base.toAbsolutePath().relativize(file.toAbsolutePath());
        String name = rel.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String named = dot <= 0 ? name + suffix : name.substring(0, dot) + suffix + name.substring(dot);
        return outputFolder.resolve(rel).resolveSibling(named);
    }

    /**
     * Refuses, with one line, an output that would write over the inputs or be read as input next time: for a
     * folder or glob, an output folder equal to or inside the input folder; for one file, the input file itself.
     */
    void requireOutputOutsideInputs(Path output, String suffix) throws IOException {
        if (singleFile) {
            Path target = Files.isDirectory(output) ? outputFor(files.get(0), output, suffix) : output;
            if (Files.exists(target) && Files.isSameFile(target, files.get(0))) {
                throw new IllegalArgumentException("--output " + target + " is the input file itself; restore never writes over its input");
            }
        } else if (resolved(output).startsWith(base.toRealPath())) {
            throw new IllegalArgumentException("--output " + output + " is inside the input folder " + base
                    + ": restored images would overwrite inputs or be read as inputs next time; choose a folder outside it");
        }
    }

    /** {@code p} with links and relative parts resolved, also where its last parts do not exist yet. */
    private static Path resolved(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        return existing == null ? abs : existing.toRealPath().resolve(existing.relativize(abs));
    }

    private static InputSelection nonEmpty(String input, Path base, List<Path> files) {
        if (files.isEmpty()) throw new IllegalArgumentException("no images under " + input + " (extensions: " + String.join(", ",
                IMAGE_EXTENSIONS.stream().sorted().toList()) + ")");
        return new InputSelection(false, base, files);
    }

    private static List<Path> walk(Path dir, java.util.function.Predicate<Path> keep) throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString());
        try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {  // a linked folder is walked too
            return s.filter(Files::isRegularFile).filter(p -> InputNames.keeps(dir.relativize(p).toString().replace('\\', '/')))
                    .filter(keep).sorted().toList();
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean isGlob(String s) {
        return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** The leading directories of a glob that hold no pattern character ("." when the first segment has one). */
    private static Path fixedPrefix(Path glob) {
        Path prefix = glob.isAbsolute() ? glob.getRoot() : null;
        for (Path segment : glob) {
            if (isGlob(segment.toString())) break;
            prefix = prefix == null ? segment : prefix.resolve(segment);
        }
        return prefix == null ? Path.of(".") : prefix;
    }
}
