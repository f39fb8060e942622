package io.mambair.runtime.scan;

import ai.onnx.proto.OnnxMl;

import java.util.List;

/**
 * A serialized ONNX model made of one {@link FusedScanContract#SELECTIVE_SCAN} node whose graph inputs are the operator's
 * inputs (dimensions symbolic, so one session serves any shape) and whose output is {@code y}.
 */
public final class SelectiveScanModel {
    private static final long IR_VERSION = 9;
    private static final int ONNX_OPSET = 20;

    private SelectiveScanModel() {}

    /** The model as ONNX protobuf bytes, for {@code OrtEnvironment.createSession(byte[], options)}. */
    public static byte[] bytes() {
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
                .setName("selective_scan")
                .addNode(FusedScanContract.SELECTIVE_SCAN.node("scan", FusedScanContract.SELECTIVE_SCAN.inputs(), "y"))
                .addInput(floatInput("u", "B", "D", "L"))
                .addInput(floatInput("delta", "B", "D", "L"))
                .addInput(floatInput("A", "D", "N"))
                .addInput(floatInput("Bs", "B", "G", "N", "L"))
                .addInput(floatInput("Cs", "B", "G", "N", "L"))
                .addInput(floatInput("Ds", "D"))
                .addInput(floatInput("delta_bias", "D"))
                .addOutput(floatInput("y", "B", "D", "L"))
                .build();
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("mambair")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(ONNX_OPSET))
                .addOpsetImport(FusedScanContract.opsetImport())
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    private static OnnxMl.ValueInfoProto floatInput(String name, String... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (String dim : List.of(dims)) shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(dim));
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape))
                .build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }
}
