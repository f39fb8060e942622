package io.mambair.job.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The presets bundled in the job jar: the files of the repository's {@code conf/}, named in its {@code index.txt}. */
public final class Presets {
    /** Classpath folder holding {@code <name>.conf} for every preset. */
    public static final String RESOURCE_DIR = "mambair/presets/";

    private Presets() {}

    /** Every preset name, in the order of the index. */
    public static List<String> names() {
        InputStream in = Presets.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + "index.txt");
        if (in == null) throw new IllegalStateException("preset index missing from the job jar");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the preset index", e);
        }
    }
}
