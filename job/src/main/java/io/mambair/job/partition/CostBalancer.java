package io.mambair.job.partition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.ToLongFunction;

/**
 * Splits work into partitions of nearly equal total cost with the greedy longest-processing-time
 * rule: items by decreasing cost, each into the currently lightest partition (at most 4/3 of the
 * optimal makespan). Hand-written because it is a dozen lines and Spark has no cost-aware partitioner.
 */
public final class CostBalancer {
    private CostBalancer() {}

    /** At most {@code partitions} non-empty groups of {@code items}, balanced on {@code cost}. */
    public static <T> List<List<T>> balance(List<T> items, int partitions, ToLongFunction<T> cost) {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        int n = Math.min(partitions, Math.max(1, items.size()));
        List<List<T>> bins = new ArrayList<>(n);
        long[] load = new long[n];
        PriorityQueue<Integer> lightest = new PriorityQueue<>(Comparator.<Integer>comparingLong(i -> load[i]).thenComparingInt(i -> i));
        for (int i = 0; i < n; i++) {
            bins.add(new ArrayList<>());
            lightest.add(i);
        }
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingLong(cost).reversed());
        for (T item : sorted) {
            int bin = lightest.poll();
            bins.get(bin).add(item);
            load[bin] += Math.max(1, cost.applyAsLong(item));
            lightest.add(bin);
        }
        bins.removeIf(List::isEmpty);
        return bins;
    }
}
