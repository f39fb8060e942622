package io.mambair.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mambair.runtime.arch.ArchitectureInference;
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
 * tile size and batch size.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark full-size official MambaIR architectures (random weights).")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--state-dicts", description = "official-state-dicts.json (key shapes of every official config)",
            defaultValue = "../shared/reference/official-state-dicts.json")
    Path stateDicts;

    @Option(names = "--config", split = ",", description = "config yml names, e.g. test_MambaIR_lightSR_x2",
            defaultValue = "test_MambaIR_lightSR_x2,test_MambaIR_SR_x2")
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
        JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(stateDicts));
        System.out.println("| config | scan | tile | batch | session build s | ms/tile | LR MP/s | peak RSS MiB |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String name : configs) {
            StateDict sd = randomStateDict(root, name);
            ModelConfig cfg = ArchitectureInference.infer(sd);
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
        session.run(input, shape);
        double warm = (System.nanoTime() - w0) / 1e9;
        int n = warm > maxSeconds ? 0 : repeats;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) session.run(input, shape);
        double perRun = n == 0 ? warm : (System.nanoTime() - t0) / 1e9 / n;
        double msPerTile = perRun * 1000 / batch;
        double mps = (double) batch * tile * tile / perRun / 1e6;
        System.out.printf("| %s | %s | %d | %d | %.2f | %.1f | %.4f | %d |%n", name, f.name().toLowerCase(), tile, batch,
                build, msPerTile, mps, peakRssMiB());
    }

    /** Keys and shapes of an official config with plausible random weights (S4D-style A, small dt). */
    static StateDict randomStateDict(JsonNode root, String yml) {
        String archId = null;
        for (JsonNode c : root.get("configs")) {
            if (c.get("name").asText().equals(yml) || c.get("yml").asText().equals(yml)) archId = c.get("arch_id").asText();
        }
        if (archId == null) throw new IllegalArgumentException("no official config named " + yml);
        JsonNode sdNode = root.get("architectures").get(archId).get("state_dict");
        Random r = new Random(42);
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (JsonNode kv : sdNode) m.put(kv.get(0).asText(), random(kv.get(0).asText(), kv.get(1), r));
        return new StateDict(m);
    }

    private static Tensor random(String key, JsonNode shapeNode, Random r) {
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = shapeNode.get(i).asLong();
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
