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
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a MambaIR checkpoint (.pth/.safetensors) to an ONNX model.")
public final class ConvertCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "checkpoint (.pth, .safetensors)")
    Path model;

    @Option(names = "--output", required = true, description = "ONNX file to write")
    Path output;

    @Option(names = "--scan", description = "selective scan: fused (custom CPU operator) or standard (standard ops only, runs on every provider); default: fused where available")
    String scan;

    @Option(names = "--tile", paramLabel = "HxW", description = "fix the input tile shape (default: symbolic height and width, any shape)")
    String tile;

    @Override
    public Integer call() throws Exception {
        ScanFormulation f = scan == null ? ScanChoice.here() : ScanFormulation.parse(scan);
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
        System.out.printf("wrote %s (%d bytes, %s, scan %s)%n", output, onnx.length, m.config().task().id(), f.label());
        return 0;
    }
}
