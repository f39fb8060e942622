package io.mambair.runtime.cli;

import io.mambair.runtime.graph.GraphBuilder;
import io.mambair.runtime.engine.ScanChoice;
import io.mambair.runtime.graph.ScanFormulation;
import io.mambair.runtime.model.ResolvedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code convert --model M --output X.onnx}: writes the ONNX graph of a checkpoint. */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Convert a MambaIR checkpoint (.pth/.safetensors) to an ONNX model (portable standard-ops graph unless --scan fused).")
public final class ConvertCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, description = "Checkpoint (.pth, .safetensors) (required).")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, description = "ONNX file to write (required).")
    Path output;

    @Option(names = "--scan", defaultValue = "standard", description = "Selective scan: standard (standard ONNX ops only: "
            + "any ONNX tool or provider loads it) or fused (needs this library's io.mambair:SelectiveScan2D operator) (default: ${DEFAULT-VALUE}).")
    String scan;

    @Option(names = "--tile", paramLabel = "HxW", description = "Fix the input tile shape (default: symbolic height and width, any shape).")
    String tile;

    @Override
    public Integer call() throws Exception {
        ScanFormulation f = ScanFormulation.parse(scan);
        ResolvedModel m = ResolvedModel.resolve(model, f);
        byte[] onnx = m.graph(f);
        if (tile != null) {
            String[] hw = tile.toLowerCase().split("x");
            if (hw.length != 2) throw new IllegalArgumentException("--tile must look like 64x64, got " + tile);
            onnx = GraphBuilder.withFixedTile(onnx, Integer.parseInt(hw[0].trim()), Integer.parseInt(hw[1].trim()));
        }
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
        Files.write(tmp, onnx);
        Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("wrote %s (%d bytes, %s, scan %s: %s)%n", output, onnx.length, m.config().task().id(), f.label(),
                f == ScanFormulation.FUSED ? "needs this library's custom operator io.mambair:SelectiveScan2D (libmambair_scan) to load"
                        : "standard ONNX operators only, portable to any ONNX tool");
        return 0;
    }
}
