package io.mambair.runtime.cli;

import io.mambair.runtime.arch.MambaIRLayout;
import io.mambair.runtime.arch.ModelConfig;
import io.mambair.runtime.checkpoint.StateDict;
import io.mambair.runtime.checkpoint.Tensor;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.InferenceSession;
import io.mambair.runtime.graph.GraphBuilder;
import io.mambair.runtime.graph.ScanFormulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code bench}: session build time, ms per tile, low-resolution megapixels per second and peak
 * resident memory of full-size official architectures with random weights, per scan formulation,
 * tile size and batch size: {@code bin/mambair bench models ...}.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Benchmark full-size official MambaIR architectures (random weights).")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--config", split = ",", defaultValue = "light-sr-x2,classic-sr-x2",
            description = "official architectures: classic-sr-x2/x3/x4, light-sr-x2/x3/x4, color-dn, car (default: ${DEFAULT-VALUE})")
    List<String> configs;

    @Option(names = "--scan", split = ",", defaultValue = "fused,standard", description = "formulations to compare")
    List<String> scans;

    @Option(names = "--tile", split = ",", defaultValue = "64,128")
    List<Integer> tiles;

    @Option(names = "--batch", split = ",", defaultValue = "1,8")
    List<Integer> batches;

    @Option(names = "--repeats", defaultValue = "2", description = "timed runs per setting after one warm-up")
    int repeats;

    @Option(names = "--max-seconds", defaultValue = "120", description = "skip the remaining runs of a setting whose first run took longer")
    double maxSeconds;

    @Option(names = "--device", defaultValue = "cpu")
    String device;

    @Override
    public Integer call() throws Exception {
        System.out.println("| config | scan | tile | batch | session build s | ms/tile | CPU ms/tile | tiles/s | LR MP/s | peak RSS MiB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String name : configs) {
            ModelConfig cfg = official(name);
            StateDict sd = randomStateDict(cfg);
            for (String s : scans) {
                ScanFormulation f = ScanFormulation.parse(s);
                long t0 = System.nanoTime();
                byte[] onnx = GraphBuilder.build(cfg, sd, f);
                try (InferenceSession session = InferenceSession.open(onnx, f, Device.parse(device), 0)) {
                    double build = (System.nanoTime() - t0) / 1e9;
                    for (int tile : tiles) {
                        for (int batch : batches) {
                            bench(name, f, session, cfg, tile, batch, build);
                        }
                    }
                }
            }
        }
        return 0;
    }

    private void bench(String name, ScanFormulation f, InferenceSession session, ModelConfig cfg, int tile, int batch, double build) throws Exception {
        float[] input = new float[batch * cfg.inChans() * tile * tile];
        Random r = new Random(1);
        for (int i = 0; i < input.length; i++) input[i] = r.nextFloat();
        long[] shape = {batch, cfg.inChans(), tile, tile};
        long w0 = System.nanoTime();
        long wc0 = processCpuNanos();
        session.run(input, shape);
        double warm = (System.nanoTime() - w0) / 1e9;
        double warmCpu = (processCpuNanos() - wc0) / 1e6;
        int n = warm > maxSeconds ? 0 : repeats;
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) session.run(input, shape);
        double perRun = n == 0 ? warm : (System.nanoTime() - t0) / 1e9 / n;
        double cpuPerTile = (n == 0 ? warmCpu : (processCpuNanos() - c0) / 1e6 / n) / batch;
        double msPerTile = perRun * 1000 / batch;
        double mps = (double) batch * tile * tile / perRun / 1e6;
        System.out.printf("| %s | %s | %d | %d | %.2f | %.1f | %.0f | %.2f | %.4f | %d |%n", name, f.name().toLowerCase(), tile, batch,
                build, msPerTile, cpuPerTile, batch / perRun, mps, peakRssMiB());
    }

    /** The full-size official architectures (test ymls of the official repository). */
    static ModelConfig official(String name) {
        List<Integer> six = List.of(6, 6, 6, 6, 6, 6);
        List<Integer> four = List.of(6, 6, 6, 6);
        return switch (name) {
            case "classic-sr-x2", "classic-sr-x3", "classic-sr-x4" -> new ModelConfig(ModelConfig.Family.MAMBAIR, ModelConfig.Task.CLASSIC_SR,
                    name.charAt(name.length() - 1) - '0', 3, 3, 180, six, 0, 16, 2.0, ModelConfig.Upsampler.PIXELSHUFFLE, "1conv", 1.0, 0);
            case "light-sr-x2", "light-sr-x3", "light-sr-x4" -> new ModelConfig(ModelConfig.Family.MAMBAIR, ModelConfig.Task.LIGHT_SR,
                    name.charAt(name.length() - 1) - '0', 3, 3, 60, four, 0, 10, 1.2, ModelConfig.Upsampler.PIXELSHUFFLE_DIRECT, "1conv", 1.0, 0);
            case "color-dn" -> new ModelConfig(ModelConfig.Family.MAMBAIR, ModelConfig.Task.COLOR_DN, 1, 3, 3, 180, six, 0, 16, 1.2,
                    ModelConfig.Upsampler.NONE, "1conv", 1.0, 0);
            case "car" -> new ModelConfig(ModelConfig.Family.MAMBAIR, ModelConfig.Task.GRAY_DN_OR_CAR, 1, 1, 1, 180, six, 0, 16, 1.2,
                    ModelConfig.Upsampler.NONE, "1conv", 1.0, 0);
            default -> throw new IllegalArgumentException("unknown architecture '" + name
                    + "' (valid: classic-sr-x2/x3/x4, light-sr-x2/x3/x4, color-dn, car)");
        };
    }

    /** Every official key and shape with plausible random weights (S4D-style A, small dt). */
    static StateDict randomStateDict(ModelConfig cfg) {
        Random r = new Random(42);
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : MambaIRLayout.of(cfg).entrySet()) m.put(e.getKey(), random(e.getKey(), e.getValue(), r));
        return new StateDict(m);
    }

    private static Tensor random(String key, long[] shape, Random r) {
        float[] d = new float[(int) Tensor.numel(shape)];
        long fanIn = shape.length > 1 ? Tensor.numel(shape) / shape[0] : 1;
        for (int i = 0; i < d.length; i++) {
            if (key.endsWith("A_logs")) d[i] = (float) Math.log(1 + i % shape[1]);
            else if (key.endsWith("dt_projs_bias")) d[i] = (float) Math.log(Math.expm1(0.001 + 0.099 * r.nextDouble()));
            else if (key.endsWith("Ds") || key.contains("skip_scale") || key.matches(".*(ln_\\d|norm)\\.weight")) d[i] = 1f;
            else if (key.endsWith(".bias")) d[i] = 0f;
            else d[i] = (float) (r.nextGaussian() / Math.sqrt(fanIn));
        }
        return new Tensor(shape, d);
    }

    /** CPU time of the whole process (all threads): unlike wall time, barely changed by other load on the machine. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
