package io.mambair.job.input;

import io.mambair.udfs.files.InputNames;
import io.mambair.udfs.files.InputNames.LeftOut;
import org.apache.hadoop.fs.GlobPattern;

/**
 * Decides, entry by entry while a folder tree is walked, what is an input: the shared {@link InputNames}
 * rule, the job's tables folder, the name glob and whether sub-folders are walked. Counts what it leaves out.
 * Thread-safe (the walks are parallel).
 */
final class ListingRule {
    private final GlobPattern names;
    private final boolean recursive;
    private final String excludedFolder;
    private final NotInputs notInputs = new NotInputs();

    /** {@code excludedFolder}: a folder relative to the root that is never listed (the tables), or null. */
    ListingRule(String glob, boolean recursive, String excludedFolder) {
        this.names = new GlobPattern(glob);
        this.recursive = recursive;
        this.excludedFolder = excludedFolder;
    }

    /** True when the folder {@code relativePath} (below the root, no trailing '/') named {@code name} is walked. */
    boolean enters(String relativePath, String name) {
        LeftOut why = InputNames.leftOut(name);
        if (why == null && relativePath.equals(excludedFolder)) why = LeftOut.JOB_NAME;
        if (why == null && !recursive) why = LeftOut.NOT_RECURSIVE;
        if (why == null) return true;
        notInputs.add(why);
        return false;
    }

    /** True when the file named {@code name} is an input. */
    boolean keeps(String name) {
        LeftOut why = InputNames.leftOut(name);
        if (why == null && !names.matches(name)) why = LeftOut.NOT_MATCHING;
        if (why == null) return true;
        notInputs.add(why);
        return false;
    }

    boolean recursive() {
        return recursive;
    }

    NotInputs notInputs() {
        return notInputs;
    }
}
