package io.mambair.job.input;

import io.mambair.udfs.files.InputNames.LeftOut;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How many entries a listing left out, by reason (a left-out folder counts once, whatever it holds). Thread-safe. */
public final class NotInputs {
    private final Map<LeftOut, LongAdder> counts = new EnumMap<>(LeftOut.class);

    public NotInputs() {
        for (LeftOut r : LeftOut.values()) counts.put(r, new LongAdder());
    }

    /** Counts one entry left out for {@code reason}. */
    public void add(LeftOut reason) {
        counts.get(reason).increment();
    }

    /** Adds every count of {@code other}. */
    public void addAll(NotInputs other) {
        for (LeftOut r : LeftOut.values()) counts.get(r).add(other.count(r));
    }

    /** The entries left out for {@code reason}. */
    public long count(LeftOut reason) {
        return counts.get(reason).sum();
    }

    /** All entries left out. */
    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** "not inputs M: 2 dot-files, 1 job files (...)", or "not inputs 0". */
    public String text() {
        List<String> parts = new ArrayList<>();
        for (LeftOut r : LeftOut.values()) if (count(r) > 0) parts.add(count(r) + " " + r.label());
        return "not inputs " + total() + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
    }
}
