package io.mambair.udfs.files;

import java.util.Set;

/**
 * The one rule of what a listing of inputs leaves out, shared by the job and the CLI: dot-files and
 * dot-folders, and the names the job and Spark write themselves ({@value #JOB_NAMES_TEXT}). Every other
 * name is an input, camera names such as {@code _DSC0001.JPG} included.
 */
public final class InputNames {
    /** The names the job's own files and folders take (tables, Spark's committer files, Delta's log). */
    public static final Set<String> JOB_NAMES = Set.of("_mambair", "_temporary", "_SUCCESS", "_delta_log");
    static final String JOB_NAMES_TEXT = "_mambair, _temporary, _SUCCESS, _delta_log";

    private InputNames() {}

    /** Why a file or folder named {@code name} is left out. */
    public enum LeftOut {
        /** A name starting with '.'. */
        DOT_NAME("dot-files"),
        /** One of {@link #JOB_NAMES}, or the job's tables folder. */
        JOB_NAME("job files (" + JOB_NAMES_TEXT + ", tables)"),
        /** A file whose name the configured pattern does not match. */
        NOT_MATCHING("not matching the name pattern"),
        /** A folder below the root of a listing that is not recursive. */
        NOT_RECURSIVE("folders not listed (not recursive)");

        private final String label;

        LeftOut(String label) { this.label = label; }

        /** How the summary names these entries. */
        public String label() { return label; }
    }

    /** Why the entry named {@code name} is no input (nor is anything below it), or null when the rule keeps it. */
    public static LeftOut leftOut(String name) {
        if (name.startsWith(".")) return LeftOut.DOT_NAME;
        if (JOB_NAMES.contains(name)) return LeftOut.JOB_NAME;
        return null;
    }

    /** True when no '/'-separated segment of {@code relativePath} is left out by the rule. */
    public static boolean keeps(String relativePath) {
        for (String segment : relativePath.split("/")) if (leftOut(segment) != null) return false;
        return true;
    }
}
