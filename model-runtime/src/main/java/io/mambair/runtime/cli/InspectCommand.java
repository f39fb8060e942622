package io.mambair.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mambair.runtime.arch.ArchitectureInference;
import io.mambair.runtime.arch.ModelConfig;
import io.mambair.runtime.checkpoint.CheckpointLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mambair inspect --model M}: prints the architecture inferred from a checkpoint as JSON. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print the MambaIR architecture inferred from a checkpoint (.pth or .safetensors) as JSON.")
public final class InspectCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, description = "Checkpoint: torch.save .pth, .safetensors or .onnx (required).")
    Path model;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            ObjectNode node = JSON.createObjectNode().put("model", model.toString()).put("format", "onnx")
                    .put("note", "ONNX models are used as they are; their architecture is fixed in the graph and not inferred");
            out.println(JSON.writeValueAsString(node));
            return 0;
        }
        ModelConfig config = ArchitectureInference.infer(CheckpointLoader.load(model));
        out.println(JSON.writeValueAsString(describe(model, config)));
        return 0;
    }

    /** The JSON document printed for {@code config}, with the official constructor argument names. */
    static ObjectNode describe(Path model, ModelConfig config) {
        boolean unet = config.family() == ModelConfig.Family.UNET;
        ObjectNode node = JSON.createObjectNode();
        node.put("model", model.toString());
        node.put("family", unet ? "MambaIRUNet" : "MambaIR");
        node.put("task", config.task().id());
        node.put("scale", config.scale());
        node.put("in_chans", config.inChans());
        node.put("out_chans", config.outChans());
        node.put("embed_dim", config.embedDim());
        config.depths().forEach(node.putArray("depths")::add);
        if (unet) node.put("refinement_blocks", config.refinementBlocks());
        node.put("d_state", config.dState());
        node.put("mlp_ratio", config.mlpRatio());
        node.put("d_inner", config.dInner(config.embedDim()));
        node.put("upsampler", config.upsampler().official());
        if (!unet) node.put("resi_connection", config.resiConnection());
        node.put("img_range", config.imgRange());
        node.put("parameter_count", config.parameterCount());
        return node;
    }
}
