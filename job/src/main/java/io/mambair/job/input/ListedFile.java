package io.mambair.job.input;

import java.io.Serializable;

/**
 * One file found under an input root: the root's URI (ending with '/', one shared string for a whole
 * listing), its path relative to the root ('/'-separated) and its size.
 */
public record ListedFile(String root, String relativePath, long length) implements Serializable {
    /** The file's full URI: root and relative path. */
    public String uri() {
        return root + relativePath;
    }

    /** The file name without its last extension. */
    public String stem() {
        String name = name();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The last path segment. */
    public String name() {
        return relativePath.substring(relativePath.lastIndexOf('/') + 1);
    }

    /** The relative folder ("" at the root, else ending with '/'). */
    public String relativeDir() {
        return relativePath.substring(0, relativePath.lastIndexOf('/') + 1);
    }
}
