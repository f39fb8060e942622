package io.mambair.job.input;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/** A log line every {@value #INTERVAL_S} s while a listing runs longer than {@value #QUIET_S} s, and one at its end. Thread-safe. */
final class ListingProgress {
    private static final Logger LOG = LoggerFactory.getLogger(FileLister.class);
    static final long QUIET_S = 3;
    static final long INTERVAL_S = 5;
    private final String root;
    private final long start = System.nanoTime();
    private final AtomicLong found = new AtomicLong();
    private final AtomicLong nextLineAt = new AtomicLong(start + QUIET_S * 1_000_000_000L);

    ListingProgress(String root) {
        this.root = root;
    }

    /** Counts one input found; prints a line when one is due. */
    void found() {
        long n = found.incrementAndGet();
        long now = System.nanoTime();
        long due = nextLineAt.get();
        if (now >= due && nextLineAt.compareAndSet(due, now + INTERVAL_S * 1_000_000_000L)) {
            LOG.info("listing {}: {} inputs so far ({} s)", root, n, (now - start) / 1_000_000_000L);
        }
    }

    /** The closing line, when the listing was long enough to have shown progress. */
    void finished(int inputs, NotInputs notInputs) {
        double s = (System.nanoTime() - start) / 1e9;
        if (s >= QUIET_S) LOG.info("listing {}: done, inputs {}, {} ({} s)", root, inputs, notInputs.text(), String.format("%.1f", s));
    }
}
