package io.mambair.runtime.scan;

import ai.onnx.proto.OnnxMl;

import java.util.List;

/**
 * The contract of the fused custom operator {@code io.mambair::SelectiveScan} (version 1, float32),
 * implemented by the native library of {@link FusedScanLibrary}: inputs {@code u (B, D, L), delta (B, D, L),
 * A (D, N), Bs (B, G, N, L), Cs (B, G, N, L), Ds (D), delta_bias (D)}, output {@code y (B, D, L)}, with the
 * math of {@link SelectiveScanReference}.
 */
public final class SelectiveScanOp {
    /** Operator domain. */
    public static final String DOMAIN = "io.mambair";
    /** Operator type. */
    public static final String OP_TYPE = "SelectiveScan";
    /** Opset version of {@link #DOMAIN} that the operator is registered for. */
    public static final int VERSION = 1;
    /** Input names, in order. */
    public static final List<String> INPUTS = List.of("u", "delta", "A", "Bs", "Cs", "Ds", "delta_bias");

    private SelectiveScanOp() {}

    /** A SelectiveScan node reading the seven named values in {@link #INPUTS} order and writing {@code output}. */
    public static OnnxMl.NodeProto node(String name, List<String> inputs, String output) {
        if (inputs.size() != INPUTS.size()) {
            throw new IllegalArgumentException("SelectiveScan takes " + INPUTS + ", got " + inputs);
        }
        return OnnxMl.NodeProto.newBuilder()
                .setName(name)
                .setOpType(OP_TYPE)
                .setDomain(DOMAIN)
                .addAllInput(inputs)
                .addOutput(output)
                .build();
    }

    /** The opset import a model using the operator must declare. */
    public static OnnxMl.OperatorSetIdProto opsetImport() {
        return OnnxMl.OperatorSetIdProto.newBuilder().setDomain(DOMAIN).setVersion(VERSION).build();
    }
}
