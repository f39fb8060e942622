package io.mambair.runtime.model;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mambair.runtime.arch.ArchitectureInference;
import io.mambair.runtime.arch.ModelConfig;
import io.mambair.runtime.checkpoint.CheckpointException;
import io.mambair.runtime.checkpoint.CheckpointLoader;
import io.mambair.runtime.checkpoint.StateDict;
import io.mambair.runtime.graph.GraphBuilder;
import io.mambair.runtime.graph.ScanFormulation;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * A model ready to ship to executors: its architecture, its ONNX graphs and its identity (name and SHA-256 of
 * the checkpoint file). Built once (on the driver), then serialised to executors. A checkpoint carries both scan
 * formulations' graphs, so each process that runs it picks the one it can load ({@code engine.ScanChoice});
 * an {@code .onnx} file carries its own graph only.
 */
public final class ResolvedModel implements Serializable {
    private static final long serialVersionUID = 2L;
    /** ONNX metadata key holding the architecture as JSON, so converted files load without the checkpoint. */
    public static final String CONFIG_METADATA = "mambair.config";
    static final String SCAN_METADATA = "mambair.scan";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelConfig config;
    private final EnumMap<ScanFormulation, byte[]> graphs;
    private final String name;
    private final String sha256;

    private ResolvedModel(ModelConfig config, EnumMap<ScanFormulation, byte[]> graphs, String name, String sha256) {
        this.config = config;
        this.graphs = graphs;
        this.name = name;
        this.sha256 = sha256;
    }

    /** Resolves a .pth, .safetensors or .onnx file with every scan formulation it can offer. */
    public static ResolvedModel resolve(Path checkpoint) throws IOException {
        return resolve(checkpoint, EnumSet.allOf(ScanFormulation.class));
    }

    /** Resolves with one scan formulation (ignored for .onnx files, which are used as they are). */
    public static ResolvedModel resolve(Path checkpoint, ScanFormulation scan) throws IOException {
        return resolve(checkpoint, EnumSet.of(scan));
    }

    private static ResolvedModel resolve(Path checkpoint, Set<ScanFormulation> scans) throws IOException {
        byte[] bytes = Files.readAllBytes(checkpoint);
        String name = stem(checkpoint);
        String sha = sha256(bytes);
        if (checkpoint.getFileName().toString().toLowerCase().endsWith(".onnx")) {
            return fromOnnx(bytes, name, sha, checkpoint);
        }
        StateDict sd = CheckpointLoader.load(checkpoint);
        ModelConfig cfg = ArchitectureInference.infer(sd);
        EnumMap<ScanFormulation, byte[]> graphs = new EnumMap<>(ScanFormulation.class);
        for (ScanFormulation scan : scans) graphs.put(scan, withMetadata(GraphBuilder.build(cfg, sd, scan), cfg, scan));
        return new ResolvedModel(cfg, graphs, name, sha);
    }

    private static ResolvedModel fromOnnx(byte[] bytes, String name, String sha, Path file) throws IOException {
        ModelProto proto = ModelProto.parseFrom(bytes);
        String cfgJson = null;
        ScanFormulation scan = ScanFormulation.STANDARD;
        for (StringStringEntryProto e : proto.getMetadataPropsList()) {
            if (e.getKey().equals(CONFIG_METADATA)) cfgJson = e.getValue();
            if (e.getKey().equals(SCAN_METADATA)) scan = ScanFormulation.parse(e.getValue());
        }
        if (cfgJson == null) {
            throw new CheckpointException(file + ": ONNX file has no '" + CONFIG_METADATA
                    + "' metadata; make it with 'mambair convert' from the checkpoint");
        }
        EnumMap<ScanFormulation, byte[]> graphs = new EnumMap<>(ScanFormulation.class);
        graphs.put(scan, bytes);
        return new ResolvedModel(JSON.readValue(cfgJson, ModelConfig.class), graphs, name, sha);
    }

    private static byte[] withMetadata(byte[] onnx, ModelConfig cfg, ScanFormulation scan) throws IOException {
        return ModelProto.parseFrom(onnx).toBuilder()
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey(CONFIG_METADATA).setValue(JSON.writeValueAsString(cfg)))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey(SCAN_METADATA).setValue(scan.label()))
                .build().toByteArray();
    }

    private static String stem(Path p) {
        String f = p.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    /** Hex SHA-256 of bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    public ModelConfig config() { return config; }
    /** The scan formulations whose graphs this model carries. */
    public Set<ScanFormulation> scans() { return Collections.unmodifiableSet(graphs.keySet()); }

    /** The serialized ONNX graph of {@code scan} (not copied: do not modify). */
    public byte[] graph(ScanFormulation scan) {
        byte[] g = graphs.get(scan);
        if (g == null) throw new IllegalArgumentException("model " + name + " has no " + scan.label() + "-scan graph (it has " + graphs.keySet() + ")");
        return g;
    }

    public String name() { return name; }
    public String sha256() { return sha256; }
    public int scale() { return config.scale(); }
    public int inChannels() { return config.inChans(); }
}
