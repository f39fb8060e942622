package io.mambair.runtime.engine;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mambair.runtime.graph.ScanFormulation;
import io.mambair.runtime.scan.FusedScanLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The scan formulation this process runs, decided where the model runs (each executor, each CLI process): under
 * {@link ScanMode#AUTO} the fused operator when its library loads into ONNX Runtime here (and, on a GPU, its CUDA
 * operator passed {@link CudaScanSelfCheck}), else the standard graph, with one WARN per process naming the reason.
 */
public final class ScanChoice {
    private static final Logger LOG = LoggerFactory.getLogger(ScanChoice.class);
    private static final Set<String> SELF_TEST_WARNED = ConcurrentHashMap.newKeySet();
    private static Optional<String> fusedUnavailable;

    private ScanChoice() {}

    /**
     * The formulation to run among those a model offers: fused when offered and loadable here, else standard.
     *
     * @throws IllegalStateException when only the fused graph is offered and its library cannot load here
     */
    public static ScanFormulation choose(Set<ScanFormulation> offered) {
        return choose(offered, offered.contains(ScanFormulation.FUSED) ? fusedUnavailableReason() : Optional.empty());
    }

    static ScanFormulation choose(Set<ScanFormulation> offered, Optional<String> reason) {
        if (offered.contains(ScanFormulation.FUSED)) {
            if (reason.isEmpty()) return ScanFormulation.FUSED;
            if (!offered.contains(ScanFormulation.STANDARD)) {
                throw new IllegalStateException("this model's graph uses the fused selective scan, which cannot load here ("
                        + reason.get() + "); convert the checkpoint with --scan standard");
            }
        }
        return ScanFormulation.STANDARD;
    }

    /**
     * The formulation {@code mode} asks for among those a model offers, for sessions on {@code device}. STANDARD and
     * FUSED force theirs (an error naming why when the model or this process cannot run it). AUTO is
     * {@link #choose(Set)}, and on a GPU the fused graph only after {@link CudaScanSelfCheck} passed on that GPU; when
     * it failed, the standard graph with one WARN naming the reason.
     */
    public static ScanFormulation choose(Set<ScanFormulation> offered, ScanMode mode, Device device) {
        return choose(offered, mode, offered.contains(ScanFormulation.FUSED) ? fusedUnavailableReason() : Optional.empty(),
                () -> CudaScanSelfCheck.of(device), device);
    }

    static ScanFormulation choose(Set<ScanFormulation> offered, ScanMode mode, Optional<String> fusedUnavailable,
                                  Supplier<CudaScanSelfCheck.Result> selfTest, Device device) {
        switch (mode) {
            case STANDARD -> {
                if (!offered.contains(ScanFormulation.STANDARD)) {
                    throw new IllegalStateException("scan standard was asked for, but this model's graph uses the fused"
                            + " selective scan only; convert the checkpoint with --scan standard, or use scan auto");
                }
                return ScanFormulation.STANDARD;
            }
            case FUSED -> {
                if (!offered.contains(ScanFormulation.FUSED)) {
                    throw new IllegalStateException("scan fused was asked for, but this model's graph uses the standard scan only;"
                            + " give the checkpoint, or convert it with --scan fused");
                }
                if (fusedUnavailable.isPresent()) {
                    throw new IllegalStateException("scan fused was asked for, but the fused selective-scan operator cannot"
                            + " load here (" + fusedUnavailable.get() + "); use scan auto or standard");
                }
                return ScanFormulation.FUSED;
            }
            default -> {
                ScanFormulation chosen = choose(offered, fusedUnavailable);
                if (chosen != ScanFormulation.FUSED || !device.wantsCuda()) return chosen;
                CudaScanSelfCheck.Result test = selfTest.get();
                if (test.verdict() != CudaScanSelfCheck.Verdict.FAILED) return chosen;  // passed, or the session runs on the CPU
                if (!offered.contains(ScanFormulation.STANDARD)) {
                    throw new IllegalStateException("this model's graph uses the fused selective scan only, and its CUDA"
                            + " operator failed its self-test on GPU " + device.ordinal() + " (" + test.reason()
                            + "); convert the checkpoint with --scan standard, or force scan fused");
                }
                if (SELF_TEST_WARNED.add(test.reason())) {
                    LOG.warn("scan auto: the standard scan on GPU {}, because the fused operator's CUDA self-test failed: {}",
                            device.ordinal(), test.reason());
                }
                return ScanFormulation.STANDARD;
            }
        }
    }

    /** The formulation for a checkpoint resolved in this process: fused when it loads here, else standard. */
    public static ScanFormulation here() {
        return choose(EnumSet.allOf(ScanFormulation.class));
    }

    /** Why the fused operator cannot run in this process; empty when it can. Probed once per JVM. */
    public static synchronized Optional<String> fusedUnavailableReason() {
        if (fusedUnavailable == null) {
            fusedUnavailable = probe();
            fusedUnavailable.ifPresent(r -> LOG.warn("The fused selective-scan operator cannot load in this process ({});"
                    + " restoring with the standard scan, which gives the same results more slowly", r));
        }
        return fusedUnavailable;
    }

    static Optional<String> probe() {
        Path library;
        try {
            Optional<Path> packaged = FusedScanLibrary.path();
            if (packaged.isEmpty()) return Optional.of("no library is packaged for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
            library = packaged.get();
        } catch (RuntimeException e) {
            return Optional.of(DeviceSelector.firstLine(e.getMessage()));
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.registerCustomOpLibrary(library.toString());
            return Optional.empty();
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            return Optional.of("ONNX Runtime cannot load " + library + ": " + DeviceSelector.firstLine(e.getMessage()));
        }
    }
}
