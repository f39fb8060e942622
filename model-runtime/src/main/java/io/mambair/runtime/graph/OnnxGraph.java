package io.mambair.runtime.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * A small builder over the ONNX protos: unique value names, initializers, nodes and the standard
 * ops the MambaIR graph needs. Every method returns the name of the value it produced.
 */
public final class OnnxGraph {
    private final GraphProto.Builder graph;
    private final Map<String, Integer> counters = new HashMap<>();
    private final String scope;

    public OnnxGraph(String name) {
        this(name, "");
    }

    /** A graph whose generated names all start with {@code scope} (subgraphs must not reuse outer names). */
    public OnnxGraph(String name, String scope) {
        this.graph = GraphProto.newBuilder().setName(name);
        this.scope = scope;
    }

    /** A fresh value name with the given prefix. */
    public String fresh(String prefix) {
        int n = counters.merge(prefix, 1, Integer::sum);
        return scope + (n == 1 ? prefix : prefix + "_" + n);
    }

    /** Declares a float graph input; a null entry in {@code dims} is the symbolic name given in {@code symbols}. */
    public void floatInput(String name, Object... dims) {
        graph.addInput(valueInfo(name, TensorProto.DataType.FLOAT, dims));
    }

    /** Declares a float graph output. */
    public void floatOutput(String name, Object... dims) {
        graph.addOutput(valueInfo(name, TensorProto.DataType.FLOAT, dims));
    }

    /** Declares an output of any element type with unknown shape. */
    public void output(String name, TensorProto.DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Number n) dim.setDimValue(n.longValue());
            else dim.setDimParam(String.valueOf(d));
            shape.addDim(dim);
        }
        TypeProto type0 = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(type.getNumber()).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type0).build();
    }

    /** Adds a float32 initializer with the given shape and returns its name. */
    public String floats(String prefix, float[] data, long... shape) {
        String name = fresh(prefix);
        ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(data);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
                .addAllDims(boxed(shape)).setRawData(ByteString.copyFrom(bb.array())));
        return name;
    }

    /** Adds an int64 initializer (shapes, axes, indices). */
    public String longs(String prefix, long... values) {
        String name = fresh(prefix);
        ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.asLongBuffer().put(values);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
                .addDims(values.length).setRawData(ByteString.copyFrom(bb.array())));
        return name;
    }

    /** A float scalar initializer. */
    public String scalar(String prefix, float value) {
        return floats(prefix, new float[] {value});
    }

    private static Iterable<Long> boxed(long[] shape) {
        return java.util.Arrays.stream(shape).boxed().toList();
    }

    /** Adds a node with one output and returns the output name. */
    public String node(String op, String[] inputs, AttributeProto... attributes) {
        return node(op, "", inputs, attributes);
    }

    /** Adds a node of a custom domain with one output. */
    public String node(String op, String domain, String[] inputs, AttributeProto... attributes) {
        String out = fresh(op.toLowerCase());
        nodeMulti(op, domain, inputs, new String[] {out}, attributes);
        return out;
    }

    /** Adds a node with explicitly named outputs. */
    public void nodeMulti(String op, String domain, String[] inputs, String[] outputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(fresh("n_" + op));
        if (!domain.isEmpty()) n.setDomain(domain);
        for (String i : inputs) n.addInput(i);
        for (String o : outputs) n.addOutput(o);
        for (AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
    }

    /** Renames the value {@code from} by an Identity into {@code to} (used for graph outputs). */
    public void identity(String from, String to) {
        nodeMulti("Identity", "", new String[] {from}, new String[] {to});
    }

    public GraphProto build() { return graph.build(); }

    // ---- attributes
    public static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto attr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    public static AttributeProto attr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    public static AttributeProto attrs(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) b.addInts(v);
        return b.build();
    }

    public static AttributeProto attr(String name, GraphProto body) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(body).build();
    }

    // ---- standard ops
    public String add(String a, String b) { return node("Add", new String[] {a, b}); }
    public String sub(String a, String b) { return node("Sub", new String[] {a, b}); }
    public String mul(String a, String b) { return node("Mul", new String[] {a, b}); }
    public String matmul(String a, String b) { return node("MatMul", new String[] {a, b}); }
    public String sigmoid(String x) { return node("Sigmoid", new String[] {x}); }
    public String exp(String x) { return node("Exp", new String[] {x}); }
    public String relu(String x) { return node("Relu", new String[] {x}); }
    public String shape(String x) { return node("Shape", new String[] {x}); }

    /** SiLU as x * sigmoid(x) (no SiLU op in the standard set used). */
    public String silu(String x) { return mul(x, sigmoid(x)); }

    /** Exact (erf) GELU, opset 20. */
    public String gelu(String x) { return node("Gelu", new String[] {x}, attr("approximate", "none")); }

    public String leakyRelu(String x, float slope) { return node("LeakyRelu", new String[] {x}, attr("alpha", slope)); }

    public String transpose(String x, long... perm) { return node("Transpose", new String[] {x}, attrs("perm", perm)); }

    public String reshape(String x, String shape) { return node("Reshape", new String[] {x, shape}); }

    public String reshape(String x, long... shape) { return reshape(x, longs("shape", shape)); }

    public String unsqueeze(String x, long... axes) { return node("Unsqueeze", new String[] {x, longs("axes", axes)}); }

    public String concat(long axis, String... xs) { return node("Concat", xs, attr("axis", axis)); }

    /** {@code x[start:end]} along {@code axis}. */
    public String slice(String x, long axis, long start, long end) {
        return node("Slice", new String[] {x, longs("starts", start), longs("ends", end), longs("axes", axis)});
    }

    /** Reverses {@code x} along {@code axis}. */
    public String flip(String x, long axis) {
        return node("Slice", new String[] {x, longs("starts", -1), longs("ends", Long.MIN_VALUE), longs("axes", axis), longs("steps", -1)});
    }

    /** LayerNormalization over the last axis (opset 17). */
    public String layerNorm(String x, String scale, String bias, float eps) {
        return node("LayerNormalization", new String[] {x, scale, bias}, attr("axis", -1L), attr("epsilon", eps));
    }

    /** 2-D convolution with square kernel, 'same' padding for odd kernels, optional bias (null). */
    public String conv(String x, String weight, String bias, int kernel, int group, int dilation) {
        long pad = (long) dilation * (kernel - 1) / 2;
        String[] in = bias == null ? new String[] {x, weight} : new String[] {x, weight, bias};
        return node("Conv", in, attrs("kernel_shape", kernel, kernel), attrs("pads", pad, pad, pad, pad),
                attr("group", (long) group), attrs("dilations", dilation, dilation));
    }

    /** PyTorch PixelShuffle (DepthToSpace, CRD mode). */
    public String pixelShuffle(String x, int r) {
        return node("DepthToSpace", new String[] {x}, attr("blocksize", (long) r), attr("mode", "CRD"));
    }

    /** PyTorch PixelUnshuffle: SpaceToDepth orders channels (i, j, c); a gather reorders them to (c, i, j). */
    public String pixelUnshuffle(String x, int r, int channels) {
        String s2d = node("SpaceToDepth", new String[] {x}, attr("blocksize", (long) r));
        long[] idx = new long[channels * r * r];
        for (int c = 0; c < channels; c++) {
            for (int k = 0; k < r * r; k++) idx[c * r * r + k] = (long) k * channels + c;
        }
        return node("Gather", new String[] {s2d, longs("perm", idx)}, attr("axis", 1L));
    }
}
