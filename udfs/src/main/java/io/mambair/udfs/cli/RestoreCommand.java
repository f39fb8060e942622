package io.mambair.udfs.cli;

import io.mambair.runtime.engine.CudaOptions;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.graph.ScanFormulation;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.Restorer;
import io.mambair.runtime.restore.TileMode;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageFiles;
import io.mambair.udfs.restore.ImageRestore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code restore}: one image file or {@code .npy} tensor through a model. A {@code .npy} output holds the
 * raw float32 model output (NCHW, N=1, no clamp); an image output has the input's bit depth (clamped,
 * scaled, rounded half to even as the official test code does), its alpha upscaled with MATLAB bicubic.
 */
@Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore one image or .npy tensor with a MambaIR model.")
public final class RestoreCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "checkpoint (.pth, .safetensors) or converted .onnx")
    Path model;

    @Option(names = "--input", required = true, description = "image file or .npy (float32 NCHW, N=1)")
    Path input;

    @Option(names = "--output", required = true, description = "image file or .npy")
    Path output;

    @Option(names = "--tile-mode", defaultValue = "official", description = "whole, blend or official (default: ${DEFAULT-VALUE})")
    String tileMode;

    @Option(names = "--tile", defaultValue = "64", description = "blend tile size in input pixels (default: ${DEFAULT-VALUE})")
    int tile;

    @Option(names = "--overlap", defaultValue = "16", description = "blend overlap in input pixels (default: ${DEFAULT-VALUE})")
    int overlap;

    @Option(names = "--batch", defaultValue = "1", description = "tiles per inference batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--self-ensemble", description = "average the 8 flips/transposes (MambaIR+)")
    boolean selfEnsemble;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--cuda-tf32", description = "TF32 math in the CUDA provider's convolutions and matrix products")
    boolean cudaTf32;

    @Option(names = "--cuda-memory-limit-mib", defaultValue = "0", description = "cap of the CUDA provider's GPU memory arena in MiB, 0 = none (default: ${DEFAULT-VALUE})")
    int cudaMemoryLimitMib;

    @Option(names = "--cuda-conv-algo-search", defaultValue = "exhaustive", description = "cuDNN convolution algorithm search: exhaustive, heuristic, default (default: ${DEFAULT-VALUE})")
    String cudaConvAlgoSearch;

    @Option(names = "--scan", description = "fused or standard selective scan (default: fused where available)")
    String scan;

    @Option(names = "--max-pixels", defaultValue = "400000000", description = "refuse larger inputs (default: ${DEFAULT-VALUE})")
    long maxPixels;

    @Override
    public Integer call() throws Exception {
        ResolvedModel m = ResolvedModel.resolve(model, scan == null ? ResolvedModel.defaultScan() : ScanFormulation.parse(scan));
        CudaOptions cuda = new CudaOptions(cudaTf32, (long) cudaMemoryLimitMib << 20, CudaOptions.ConvAlgoSearch.parse(cudaConvAlgoSearch));
        Restorer restorer = SharedRuntime.get(m, Device.parse(device).withCuda(cuda));
        RestoreOptions options = new RestoreOptions(TileMode.parse(tileMode), tile, overlap, batch, selfEnsemble);
        DecodedImage in = ImageFiles.read(input, maxPixels);
        ImageFiles.write(output, ImageRestore.restore(in, restorer, options), 95);
        System.out.printf("restored %s -> %s on %s%n", input, output, restorer.device());
        return 0;
    }
}
