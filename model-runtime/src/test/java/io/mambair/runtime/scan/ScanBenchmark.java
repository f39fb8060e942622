package io.mambair.runtime.scan;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Prints milliseconds per selective-scan call of the fused operator (through ONNX Runtime, 1 thread and
 * all cores) and of the Java float64 reference, for one SS2D scan of a 64x64 tile of light-SR (D 4*72, N 10)
 * and classic-SR (D 4*360, N 16) MambaIR: {@code bin/mambair bench scan [--calls N]}.
 */
@Command(name = "scan", mixinStandardHelpOptions = true, description = "Fused selective-scan operator vs the float64 reference.")
public final class ScanBenchmark implements Callable<Integer> {
    @Option(names = "--calls", defaultValue = "20", description = "timed calls per case (default: ${DEFAULT-VALUE})")
    int calls;

    @Override
    public Integer call() throws OrtException {
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "selective scan, ms per call (median of %d), %d cores%n", calls, cores);
        System.out.printf(Locale.ROOT, "%-30s %10s %10s %12s%n", "case", "fused 1t", "fused " + cores + "t",
                "java ref");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (FusedSelectiveScan single = FusedSelectiveScan.open(env, 1);
             FusedSelectiveScan all = FusedSelectiveScan.open(env, cores)) {
            report("light SR  B1 D288 N10 G4 L4096", new ScanShape(1, 4 * 72, 10, 4, 4096), single, all, calls);
            report("classic SR B1 D1440 N16 G4 L4096", new ScanShape(1, 4 * 360, 16, 4, 4096), single, all, calls);
        }
        return 0;
    }

    private static void report(String name, ScanShape shape, FusedSelectiveScan single, FusedSelectiveScan all,
                               int calls) throws OrtException {
        ScanInputs in = ScanInputs.random(shape, 1L, 0f, 1f);
        double fusedSingle = medianMs(() -> single.run(in), calls);
        double fusedAll = medianMs(() -> all.run(in), calls);
        double reference = medianMs(() -> SelectiveScanReference.scan(in), 3);
        System.out.printf(Locale.ROOT, "%-30s %10.1f %10.1f %12.1f%n", name, fusedSingle, fusedAll, reference);
    }

    private interface Call {
        void run() throws OrtException;
    }

    private static double medianMs(Call call, int calls) throws OrtException {
        call.run();  // warm-up
        double[] ms = new double[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[calls / 2];
    }
}
