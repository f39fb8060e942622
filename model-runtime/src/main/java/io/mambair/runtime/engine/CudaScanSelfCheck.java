package io.mambair.runtime.engine;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mambair.runtime.scan.FusedScanContract;
import io.mambair.runtime.scan.FusedScanLibrary;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fused library's {@code SelectiveScan2D} on a GPU compared with its CPU operator on one small fixed case
 * (B 1, E 8, N 16, 9x12), once per GPU and CUDA settings in this JVM: {@link ScanChoice} uses the fused graph on a GPU
 * under {@code scan = auto} only when this passed.
 */
public final class CudaScanSelfCheck {
    /** Largest difference to the CPU operator, as a fraction of the output's largest magnitude, that passes. */
    static final double TOLERANCE = 1e-4;
    private static final long[] SHAPE = {1, 8, 16, 9, 12};  // B, E, N, H, W
    private static final Map<String, Result> DONE = new ConcurrentHashMap<>();

    /** What the self-test found: PASSED, FAILED (the CUDA operator erred or differs), or NO_GPU (no CUDA session starts). */
    public enum Verdict { PASSED, FAILED, NO_GPU }

    /** The verdict and, unless PASSED, why (one line). */
    public record Result(Verdict verdict, String reason) {}

    private CudaScanSelfCheck() {}

    /** The self-test's result for the GPU {@code device} tries (its ordinal and CUDA settings), run on first use. */
    public static Result of(Device device) {
        return DONE.computeIfAbsent(device.ordinal() + "|" + device.cuda(), k -> run(device));
    }

    static Result run(Device device) {
        byte[] graph = graph();
        Map<String, float[]> inputs = inputs();
        float[] gpu;
        try (OrtSession.SessionOptions options = options()) {
            String on = DeviceSelector.apply(options, new Device(Device.Kind.AUTO, device.ordinal(), device.cuda()));
            if (on.equals("cpu")) return new Result(Verdict.NO_GPU, "the CUDA provider did not start for GPU " + device.ordinal());
            OrtSession session;
            try {
                session = OrtEnvironment.getEnvironment().createSession(graph, options);
            } catch (OrtException | RuntimeException e) {
                return new Result(Verdict.NO_GPU, "no session can be created on " + on + ": " + DeviceSelector.firstLine(e.getMessage()));
            }
            try (session) {
                gpu = run(session, inputs);
            } catch (OrtException | RuntimeException e) {
                String reason = DeviceSelector.firstLine(e.getMessage());
                if (DeviceFaults.isFault(reason)) DeviceFaults.record(on, reason);
                return new Result(Verdict.FAILED, "the CUDA SelectiveScan2D failed on " + on + ": " + reason);
            }
        } catch (OrtException e) {
            return new Result(Verdict.FAILED, "the self-test's session options failed: " + DeviceSelector.firstLine(e.getMessage()));
        }
        float[] cpu;
        try (OrtSession.SessionOptions options = options(); OrtSession session = OrtEnvironment.getEnvironment().createSession(graph, options)) {
            cpu = run(session, inputs);
        } catch (OrtException e) {
            return new Result(Verdict.FAILED, "the CPU SelectiveScan2D failed: " + DeviceSelector.firstLine(e.getMessage()));
        }
        return compare(gpu, cpu);
    }

    /** PASSED when {@code gpu} has no NaN and is within {@link #TOLERANCE} of the output scale of {@code cpu}. */
    static Result compare(float[] gpu, float[] cpu) {
        if (gpu.length != cpu.length) {
            return new Result(Verdict.FAILED, "the CUDA SelectiveScan2D returned " + gpu.length + " values, the CPU one " + cpu.length);
        }
        double scale = 0, worst = 0;
        for (float c : cpu) scale = Math.max(scale, Math.abs(c));
        for (int i = 0; i < gpu.length; i++) {
            double d = Math.abs((double) gpu[i] - cpu[i]);
            if (Double.isNaN(d)) d = Double.POSITIVE_INFINITY;
            worst = Math.max(worst, d);
        }
        double relative = scale > 0 ? worst / scale : worst;
        if (relative <= TOLERANCE) return new Result(Verdict.PASSED, "");
        return new Result(Verdict.FAILED, String.format("the CUDA SelectiveScan2D differs from the CPU operator by %.3g of the"
                + " output scale on the self-test case (B1 E8 N16 9x12; at most %.0e passes)", relative, TOLERANCE));
    }

    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.registerCustomOpLibrary(FusedScanLibrary.path().orElseThrow(() ->
                    new IllegalStateException("no fused selective-scan library is packaged for this platform")).toString());
            options.setIntraOpNumThreads(1);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static float[] run(OrtSession session, Map<String, float[]> inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, float[]> e : inputs.entrySet()) {
                feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()), dims(e.getKey())));
            }
            try (OrtSession.Result r = session.run(feeds)) {
                FloatBuffer y = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[y.remaining()];
                y.get(out);
                return out;
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private static long[] dims(String input) {
        long b = SHAPE[0], e = SHAPE[1], n = SHAPE[2], h = SHAPE[3], w = SHAPE[4];
        return switch (input) {
            case "u" -> new long[] {b, e, h, w};
            case "delta" -> new long[] {b, 4, e, h * w};
            case "A" -> new long[] {4 * e, n};
            case "Bs", "Cs" -> new long[] {b, 4, n, h * w};
            default -> new long[] {4 * e};  // Ds, delta_bias
        };
    }

    /** The fixed case: seeded values in the ranges a trained MambaIR block sees (A negative, dt mostly small). */
    private static Map<String, float[]> inputs() {
        SplittableRandom random = new SplittableRandom(2026);
        Map<String, float[]> inputs = new LinkedHashMap<>();
        for (String name : FusedScanContract.SELECTIVE_SCAN_2D.inputs()) {
            long count = 1;
            for (long d : dims(name)) count *= d;
            float[] v = new float[(int) count];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) switch (name) {
                    case "delta" -> random.nextDouble(-4, 2);
                    case "A" -> -Math.exp(random.nextDouble(-1, 2.5));
                    case "delta_bias" -> random.nextDouble(-4, -1);
                    default -> random.nextDouble(-1, 1);
                };
            }
            inputs.put(name, v);
        }
        return inputs;
    }

    private static byte[] graph() {
        List<String> names = FusedScanContract.SELECTIVE_SCAN_2D.inputs();
        OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("scan2d_self_test")
                .addNode(FusedScanContract.SELECTIVE_SCAN_2D.node("scan2d", names, "y"));
        for (String name : names) graph.addInput(OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(floatTensor()));
        graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(floatTensor()));
        return OnnxMl.ModelProto.newBuilder().setIrVersion(9)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(20))
                .addOpsetImport(FusedScanContract.opsetImport()).setGraph(graph).build().toByteArray();
    }

    private static OnnxMl.TypeProto floatTensor() {
        return OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)).build();
    }
}
