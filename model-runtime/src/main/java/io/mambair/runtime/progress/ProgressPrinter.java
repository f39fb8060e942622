package io.mambair.runtime.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Prints progress every interval from live counters: on a terminal one line rewritten in place (carriage
 * return), elsewhere one line per interval to a sink (a logger, stderr). Closing prints the final line when
 * any line was printed (work shorter than one interval prints nothing).
 */
public final class ProgressPrinter implements AutoCloseable {
    private final String label;
    private final long pixelsTotal;
    private final long imagesTotal;
    private final LongSupplier pixels;
    private final LongSupplier images;
    private final Consumer<String> lines;
    private final PrintStream terminal;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mambair-progress");
        t.setDaemon(true);
        return t;
    });
    private int lastWidth;
    private boolean printed;
    private boolean closed;

    private ProgressPrinter(String label, long pixelsTotal, long imagesTotal, LongSupplier pixels, LongSupplier images,
                            double intervalSeconds, Consumer<String> lines, PrintStream terminal) {
        this.label = label;
        this.pixelsTotal = pixelsTotal;
        this.imagesTotal = imagesTotal;
        this.pixels = pixels;
        this.images = images;
        this.lines = lines;
        this.terminal = terminal;
        long periodMs = Math.max(1, Math.round(intervalSeconds * 1000));
        timer.scheduleAtFixedRate(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts printing: on the process's terminal when it has one (stderr, rewritten in place), else one line per
     * interval to {@code lines}. {@code imagesTotal} &lt; 0 leaves the image count out.
     */
    public static ProgressPrinter start(String label, long pixelsTotal, long imagesTotal, LongSupplier pixels, LongSupplier images,
                                        double intervalSeconds, Consumer<String> lines) {
        PrintStream terminal = System.console() != null ? System.err : null;
        return new ProgressPrinter(label, pixelsTotal, imagesTotal, pixels, images, intervalSeconds, lines, terminal);
    }

    /** Starts printing one line per interval to {@code lines}, terminal or not (a cluster's log). */
    public static ProgressPrinter lines(String label, long pixelsTotal, long imagesTotal, LongSupplier pixels, LongSupplier images,
                                        double intervalSeconds, Consumer<String> lines) {
        return new ProgressPrinter(label, pixelsTotal, imagesTotal, pixels, images, intervalSeconds, lines, null);
    }

    /** The current line. */
    public String line() {
        return label + ProgressLine.format(Math.min(pixels.getAsLong(), pixelsTotal), pixelsTotal, images.getAsLong(), imagesTotal,
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private synchronized void tick() {
        if (!closed) print();
    }

    private void print() {
        printed = true;
        String line = line();
        if (terminal == null) {
            lines.accept(line);
        } else {
            terminal.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            terminal.flush();
            lastWidth = line.length();
        }
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        closed = true;
        if (!printed) return;
        print();
        if (terminal != null) terminal.println();
    }
}
