package io.mambair.job.memory;

import java.io.Serializable;
import java.util.Locale;

/**
 * The setting {@code restore.memory-budget}: a percentage of the executor's maximum heap ({@code "60%"})
 * or a size in bytes with an optional k, m or g suffix (binary units, {@code "6g"}).
 */
public record BudgetSize(double heapFraction, long bytes) implements Serializable {
    /** The parsed setting; a malformed value is an {@link IllegalArgumentException} naming the accepted forms. */
    public static BudgetSize parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("%")) {
                double pct = Double.parseDouble(v.substring(0, v.length() - 1).trim());
                if (pct > 0 && pct <= 100) return new BudgetSize(pct / 100, 0);
            } else {
                int shift = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
                    case 'k' -> 10;
                    case 'm' -> 20;
                    case 'g' -> 30;
                    default -> 0;
                };
                long n = Long.parseLong(shift == 0 ? v : v.substring(0, v.length() - 1).trim());
                if (n > 0 && n <= (Long.MAX_VALUE >> shift)) return new BudgetSize(0, n << shift);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + value + "' is not a percentage of the heap (1%..100%) or a positive size (bytes, or with k, m, g)");
    }

    /** The budget in bytes for a JVM whose maximum heap is {@code maxHeap} bytes. */
    public long bytes(long maxHeap) {
        return heapFraction > 0 ? (long) (heapFraction * maxHeap) : bytes;
    }

    /** How the setting reads, with its value in bytes for {@code maxHeap}: "60% of the 3072 MiB heap = 1843 MiB". */
    public String describe(long maxHeap) {
        return heapFraction > 0
                ? String.format(Locale.ROOT, "%.0f%% of the %d MiB heap = %d MiB", heapFraction * 100, maxHeap >> 20, bytes(maxHeap) >> 20)
                : (bytes >> 20) + " MiB";
    }
}
