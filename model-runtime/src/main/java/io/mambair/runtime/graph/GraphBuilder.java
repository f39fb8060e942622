package io.mambair.runtime.graph;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import io.mambair.runtime.arch.ModelConfig;
import io.mambair.runtime.checkpoint.StateDict;
import io.mambair.runtime.scan.FusedScanContract;

/** Builds the ONNX model (opset 20) of a MambaIR checkpoint: input "input" (N,C,H,W), output "output". */
public final class GraphBuilder {
    /** Standard ONNX opset the graph uses (Gelu needs 20). */
    public static final int OPSET = 20;
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    private GraphBuilder() {}

    /** The serialized ModelProto for {@code cfg}'s network with the weights of {@code sd}. */
    public static byte[] build(ModelConfig cfg, StateDict sd, ScanFormulation scan) {
        OnnxGraph g = new OnnxGraph("mambair");
        g.floatInput(INPUT, "batch", cfg.inChans(), "height", "width");
        Weights w = new Weights(sd, g);
        VssBlockNodes blocks = new VssBlockNodes(g, w, scan);
        String out = cfg.family() == ModelConfig.Family.UNET
                ? UNetNetwork.emit(g, w, blocks, cfg, INPUT)
                : MambaIRNetwork.emit(g, w, blocks, cfg, INPUT);
        g.identity(out, OUTPUT);
        g.floatOutput(OUTPUT, "batch", cfg.outChans(), "out_height", "out_width");
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(9)
                .setProducerName("mambair-spark")
                .setGraph(g.build())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        if (scan == ScanFormulation.FUSED) {
            model.addOpsetImport(FusedScanContract.opsetImport());
        }
        return model.build().toByteArray();
    }

    /** The same model with the input's height and width fixed (static shapes help some providers). */
    public static byte[] withFixedTile(byte[] onnx, int height, int width) {
        try {
            ModelProto.Builder m = ModelProto.parseFrom(onnx).toBuilder();
            var shape = m.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
            shape.getDimBuilder(2).clearDimParam().setDimValue(height);
            shape.getDimBuilder(3).clearDimParam().setDimValue(width);
            return m.build().toByteArray();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
    }
}
