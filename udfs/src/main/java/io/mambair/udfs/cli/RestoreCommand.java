package io.mambair.udfs.cli;

import io.mambair.runtime.engine.CudaOptions;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.DeviceFaultException;
import io.mambair.runtime.engine.ScanChoice;
import io.mambair.runtime.engine.ScanMode;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.graph.ScanFormulation;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.progress.ProgressPrinter;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.Restorer;
import io.mambair.runtime.restore.TileMode;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageFiles;
import io.mambair.udfs.restore.ImageRestore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code restore}: image files or {@code .npy} tensors through a model. The input is a file, a folder (every
 * image under it) or a glob; with a folder or glob the output is a folder mirroring the relative paths, and
 * outputs that exist are skipped unless {@code --overwrite}. A {@code .npy} output holds the raw float32 model
 * output (NCHW, N=1, no clamp); an image output has the input's bit depth (clamped, scaled, rounded half to
 * even as the official test code does), its alpha upscaled with MATLAB bicubic. Progress is printed every
 * interval while a large image restores.
 */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Restore images (a file, a folder or a glob) or a .npy tensor with a MambaIR model.")
public final class RestoreCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "Checkpoint (.pth, .safetensors) or converted .onnx (required).")
    Path model;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "IN",
            description = "Image file, .npy (float32 NCHW, N=1), folder (every image under it) or quoted glob such as 'photos/*.jpg' (required).")
    String input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "Output file for one input file (its extension picks the format; .npy = raw output), else an output folder (required).")
    Path output;

    @Option(names = "--suffix", defaultValue = "", paramLabel = "TEXT", description = "Added to each output file's stem in folder mode, e.g. _x2 (default: none).")
    String suffix;

    @Option(names = "--overwrite", description = "Restore again images whose output exists in an output folder (default: skip them; an output file named with -o is always written).")
    boolean overwrite;

    @Option(names = "--tile-mode", defaultValue = "official", description = "whole, blend or official (default: ${DEFAULT-VALUE}).")
    String tileMode;

    @Option(names = "--tile", defaultValue = "64", description = "Blend tile size in input pixels (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--overlap", defaultValue = "16", description = "Blend overlap in input pixels (default: ${DEFAULT-VALUE}).")
    int overlap;

    @Option(names = "--batch", defaultValue = "1", description = "Tiles per inference batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--self-ensemble", description = "Average the 8 flips/transposes, MambaIR+ (default: off).")
    boolean selfEnsemble;

    @Option(names = "--device", defaultValue = "auto",
            description = "auto (GPU 0 when it starts, else the CPU), cpu, cuda or cuda:N; an explicit GPU that cannot start is an error (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--cuda-tf32", description = "TF32 math in the CUDA provider's convolutions and matrix products (default: off).")
    boolean cudaTf32;

    @Option(names = "--cuda-memory-limit-mib", defaultValue = "0", description = "Cap of the CUDA provider's GPU memory arena in MiB, 0 = none (default: ${DEFAULT-VALUE}).")
    int cudaMemoryLimitMib;

    @Option(names = "--cuda-conv-algo-search", defaultValue = "exhaustive", description = "cuDNN convolution algorithm search: exhaustive, heuristic, default (default: ${DEFAULT-VALUE}).")
    String cudaConvAlgoSearch;

    @Option(names = "--scan", defaultValue = "auto", description = "Selective scan: auto (the fused operator where it loads and,"
            + " on a GPU, passes its self-test; else standard), fused (this library's operator) or standard (standard ONNX ops)"
            + " (default: ${DEFAULT-VALUE}).")
    String scan;

    @Option(names = "--max-pixels", defaultValue = "" + ImageFiles.DEFAULT_MAX_PIXELS, paramLabel = "N", description = "Refuse inputs with more pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--jpeg-quality", defaultValue = "95", paramLabel = "Q", description = "Quality of JPEG outputs, 1..100 (default: ${DEFAULT-VALUE}).")
    int jpegQuality;

    @Option(names = "--progress-interval", defaultValue = "5", paramLabel = "S", description = "Seconds between progress lines of an image (default: ${DEFAULT-VALUE}).")
    double progressInterval;

    @Override
    public Integer call() throws Exception {
        if (progressInterval <= 0) throw new IllegalArgumentException("--progress-interval must be positive, got " + progressInterval);
        InputSelection inputs = InputSelection.of(input);
        if (!inputs.singleFile() && Files.isRegularFile(output)) {
            throw new IllegalArgumentException("--output " + output + " is a file; a folder or glob input needs an output folder");
        }
        inputs.requireOutputOutsideInputs(output, suffix);
        ScanMode mode = ScanMode.parse(scan);
        CudaOptions cuda = new CudaOptions(cudaTf32, (long) cudaMemoryLimitMib << 20, CudaOptions.ConvAlgoSearch.parse(cudaConvAlgoSearch));
        Device on = Device.parse(device).withCuda(cuda);
        ResolvedModel m = switch (mode) {
            case FUSED -> ResolvedModel.resolve(model, ScanFormulation.FUSED);
            case STANDARD -> ResolvedModel.resolve(model, ScanFormulation.STANDARD);
            // on a GPU auto may need the standard graph when the fused operator fails its self-test
            case AUTO -> on.wantsCuda() ? ResolvedModel.resolve(model) : ResolvedModel.resolve(model, ScanChoice.here());
        };
        Restorer restorer = SharedRuntime.get(m, mode, on);
        RestoreOptions options = new RestoreOptions(TileMode.parse(tileMode), tile, overlap, batch, selfEnsemble);
        // the CLI has no logging configuration, so the fallback's reason is said here
        String fallback = mode != ScanMode.AUTO ? "" : ScanChoice.fusedUnavailableReason().map(r -> " (the fused scan cannot load here: " + r + ")").orElse("");
        boolean intoFolder = !inputs.singleFile() || Files.isDirectory(output);
        int failed = 0;
        int skipped = 0;
        for (Path file : inputs.files()) {
            Path target = intoFolder ? inputs.outputFor(file, output, suffix) : output;
            if (intoFolder && !overwrite && Files.exists(target)) {
                skipped++;
                continue;
            }
            try {
                restoreOne(restorer, options, file, target, m.config().scale(), fallback);
            } catch (Exception e) {
                if (inputs.singleFile() || e instanceof DeviceFaultException) throw e;  // a fault would fail every later image
                failed++;
                System.err.println("restore: " + file + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        if (!inputs.singleFile()) {
            System.out.printf("restored %d of %d images into %s on %s (%d skipped: output exists, %d failed)%n",
                    inputs.files().size() - skipped - failed, inputs.files().size(), output, restorer.device(), skipped, failed);
        } else if (skipped == 1) {
            System.out.printf("skipped %s: %s exists (--overwrite restores it again)%n", inputs.files().get(0),
                    inputs.outputFor(inputs.files().get(0), output, suffix));
        }
        return failed == 0 ? 0 : 1;
    }

    private void restoreOne(Restorer restorer, RestoreOptions options, Path file, Path target, int scale, String fallback) throws Exception {
        DecodedImage in = ImageFiles.read(file, maxPixels);
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        DecodedImage out;
        try (ProgressPrinter ignored = ProgressPrinter.start(file.getFileName() + ": ", in.color().pixels() * scale * scale, -1,
                done::get, () -> 0, progressInterval, System.err::println)) {
            out = ImageRestore.restore(in, restorer.withTileProgress(done::addAndGet), options);
        }
        ImageFiles.write(target, out, jpegQuality);
        System.out.printf("restored %s -> %s on %s, %s scan%s (%.2f MP in %.1f s)%n", file, target, restorer.device(),
                restorer.scan(), fallback, out.color().pixels() / 1e6, (System.nanoTime() - start) / 1e9);
    }
}
