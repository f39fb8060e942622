package io.mambair.runtime.scan;

import ai.onnx.proto.OnnxMl;

import java.util.List;

/**
 * The one declared contract of the custom operators in the native library of {@link FusedScanLibrary}: domain
 * {@value #DOMAIN}, registered from opset version {@value #VERSION}, float32 tensors, no attributes, math as in
 * MambaIR's {@code selective_scan_fn} with {@code delta_softplus}. The graph builder makes its nodes from here,
 * and a test checks the native sources against it.
 */
public final class FusedScanContract {
    /** Operator domain. */
    public static final String DOMAIN = "io.mambair";
    /** First opset version of {@link #DOMAIN} the operators are registered for. */
    public static final int VERSION = 1;

    /** One operator: its type, input names and ranks in order, and its single output's name and rank. */
    public record Operator(String type, List<String> inputs, List<Integer> inputRanks, String output, int outputRank) {
        /** A node of this operator reading {@code inputs} (in {@link #inputs()} order) and writing {@code output}. */
        public OnnxMl.NodeProto node(String name, List<String> inputs, String output) {
            if (inputs.size() != inputs().size()) {
                throw new IllegalArgumentException(type + " takes " + inputs() + ", got " + inputs);
            }
            return OnnxMl.NodeProto.newBuilder().setName(name).setOpType(type).setDomain(DOMAIN)
                    .addAllInput(inputs).addOutput(output).build();
        }
    }

    private static final List<String> INPUTS = List.of("u", "delta", "A", "Bs", "Cs", "Ds", "delta_bias");

    /**
     * SS2D's four-direction scan with its merge, as MambaIR's blocks use it: u (B, E, H, W), delta (B, 4, E, H*W),
     * A (4E, N), Bs and Cs (B, 4, N, H*W), Ds and delta_bias (4E); output y (B, H, W, E).
     */
    public static final Operator SELECTIVE_SCAN_2D =
            new Operator("SelectiveScan2D", INPUTS, List.of(4, 4, 2, 4, 4, 1, 1), "y", 4);

    /**
     * One-direction scan of already-ordered sequences: u and delta (B, D, L), A (D, N), Bs and Cs (B, G, N, L),
     * Ds and delta_bias (D); output y (B, D, L).
     */
    public static final Operator SELECTIVE_SCAN =
            new Operator("SelectiveScan", INPUTS, List.of(3, 3, 2, 4, 4, 1, 1), "y", 3);

    /** Every operator the library registers. */
    public static final List<Operator> OPERATORS = List.of(SELECTIVE_SCAN, SELECTIVE_SCAN_2D);

    private FusedScanContract() {}

    /** The opset import a model using the operators must declare. */
    public static OnnxMl.OperatorSetIdProto opsetImport() {
        return OnnxMl.OperatorSetIdProto.newBuilder().setDomain(DOMAIN).setVersion(VERSION).build();
    }
}
