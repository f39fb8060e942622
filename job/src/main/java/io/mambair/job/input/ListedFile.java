package io.mambair.job.input;

import java.io.Serializable;

/** One file found under an input root: its full URI, its path relative to the root ('/'-separated) and its size. */
public record ListedFile(String uri, String relativePath, long length) implements Serializable {
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
