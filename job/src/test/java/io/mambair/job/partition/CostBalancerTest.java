package io.mambair.job.partition;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CostBalancerTest {
    private static long load(List<Long> bin) { return bin.stream().mapToLong(Long::longValue).sum(); }

    @Test
    void fewHugeImagesAmongManySmallOnesDoNotMakeAStraggler() {
        List<Long> costs = new ArrayList<>();
        for (int i = 0; i < 4; i++) costs.add(64_000_000L);         // four 8K-ish outputs
        for (int i = 0; i < 400; i++) costs.add(1_000_000L + i);     // many small ones
        List<List<Long>> bins = CostBalancer.balance(costs, 4, c -> c);
        assertEquals(4, bins.size());
        long total = costs.stream().mapToLong(Long::longValue).sum();
        long max = bins.stream().mapToLong(CostBalancerTest::load).max().orElseThrow();
        long min = bins.stream().mapToLong(CostBalancerTest::load).min().orElseThrow();
        assertTrue(max <= total / 4 + 1_000_400L, "max " + max + " vs ideal " + total / 4);
        assertTrue(max - min <= 1_000_400L, "spread " + (max - min));
        assertEquals(404, bins.stream().mapToInt(List::size).sum());
        for (List<Long> b : bins) assertEquals(1, b.stream().filter(c -> c == 64_000_000L).count(), "one huge image per partition");
    }

    @Test
    void neverMorePartitionsThanItems() {
        assertEquals(2, CostBalancer.balance(List.of(5L, 7L), 8, c -> c).size());
        assertEquals(0, CostBalancer.balance(List.<Long>of(), 8, c -> c).size());
    }

    @Test
    void matchesTheOptimumOnAClassicLptCase() {
        // 2 machines, jobs 3,3,2,2,2: LPT gives 7 vs optimum 6 (the 7/6 bound case); check LPT's known answer.
        List<List<Long>> bins = CostBalancer.balance(List.of(3L, 3L, 2L, 2L, 2L), 2, c -> c);
        assertEquals(7, bins.stream().mapToLong(CostBalancerTest::load).max().orElseThrow());
    }
}
