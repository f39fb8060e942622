package io.mambair.runtime.engine;

import io.mambair.runtime.graph.ScanFormulation;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code scan = auto | fused | standard}: what each picks for the formulations a model offers, here and on a GPU. */
class ScanModeChoiceTest {
    private static final Set<ScanFormulation> BOTH = EnumSet.allOf(ScanFormulation.class);
    private static final Set<ScanFormulation> FUSED_ONLY = EnumSet.of(ScanFormulation.FUSED);
    private static final Set<ScanFormulation> STANDARD_ONLY = EnumSet.of(ScanFormulation.STANDARD);
    private static final Optional<String> LOADS = Optional.empty();
    private static final CudaScanSelfCheck.Result PASSED = new CudaScanSelfCheck.Result(CudaScanSelfCheck.Verdict.PASSED, "");
    private static final CudaScanSelfCheck.Result FAILED =
            new CudaScanSelfCheck.Result(CudaScanSelfCheck.Verdict.FAILED, "differs by 0.5 of the output scale");
    private static final CudaScanSelfCheck.Result NO_GPU =
            new CudaScanSelfCheck.Result(CudaScanSelfCheck.Verdict.NO_GPU, "the CUDA provider did not start");

    private static ScanFormulation choose(Set<ScanFormulation> offered, ScanMode mode, Optional<String> unavailable,
                                          CudaScanSelfCheck.Result test, Device device) {
        return ScanChoice.choose(offered, mode, unavailable, () -> test, device);
    }

    @Test
    void parsesTheThreeModesAndNamesThemWhenTheValueIsUnknown() {
        assertEquals(ScanMode.AUTO, ScanMode.parse("auto"));
        assertEquals(ScanMode.FUSED, ScanMode.parse(" Fused "));
        assertEquals(ScanMode.STANDARD, ScanMode.parse("STANDARD"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScanMode.parse("fast"));
        assertEquals("unknown scan 'fast' (valid: auto, fused, standard)", e.getMessage());
    }

    @Test
    void standardAndFusedForceTheirFormulationWithoutASelfTest() {
        AtomicInteger selfTests = new AtomicInteger();
        Supplier<CudaScanSelfCheck.Result> counting = () -> {
            selfTests.incrementAndGet();
            return FAILED;
        };
        assertEquals(ScanFormulation.STANDARD, ScanChoice.choose(BOTH, ScanMode.STANDARD, LOADS, counting, Device.cuda(0)));
        assertEquals(ScanFormulation.FUSED, ScanChoice.choose(BOTH, ScanMode.FUSED, LOADS, counting, Device.cuda(0)));
        assertEquals(0, selfTests.get());
    }

    @Test
    void aForcedFormulationTheModelOrProcessCannotRunIsAnErrorNamingWhy() {
        assertTrue(assertThrows(IllegalStateException.class, () -> choose(FUSED_ONLY, ScanMode.STANDARD, LOADS, PASSED, Device.cpu()))
                .getMessage().contains("convert the checkpoint with --scan standard"));
        assertTrue(assertThrows(IllegalStateException.class, () -> choose(STANDARD_ONLY, ScanMode.FUSED, LOADS, PASSED, Device.cpu()))
                .getMessage().contains("standard scan only"));
        String e = assertThrows(IllegalStateException.class,
                () -> choose(BOTH, ScanMode.FUSED, Optional.of("no library for Mac OS X"), PASSED, Device.cpu())).getMessage();
        assertTrue(e.contains("cannot load here (no library for Mac OS X)"), e);
    }

    @Test
    void autoOnTheCpuIsFusedWhereItLoadsAndNeverRunsTheGpuSelfTest() {
        Supplier<CudaScanSelfCheck.Result> never = () -> {
            throw new AssertionError("the GPU self-test ran for a CPU device");
        };
        assertEquals(ScanFormulation.FUSED, ScanChoice.choose(BOTH, ScanMode.AUTO, LOADS, never, Device.cpu()));
        assertEquals(ScanFormulation.STANDARD, ScanChoice.choose(BOTH, ScanMode.AUTO, Optional.of("no library"), never, Device.cpu()));
    }

    @Test
    void autoOnAGpuUsesTheFusedGraphOnlyWhenTheSelfTestPassedOrTheSessionRunsOnTheCpu() {
        assertEquals(ScanFormulation.FUSED, choose(BOTH, ScanMode.AUTO, LOADS, PASSED, Device.auto()));
        assertEquals(ScanFormulation.FUSED, choose(BOTH, ScanMode.AUTO, LOADS, NO_GPU, Device.auto()));
        assertEquals(ScanFormulation.STANDARD, choose(BOTH, ScanMode.AUTO, LOADS, FAILED, Device.cuda(1)));
    }

    @Test
    void autoWithAFusedOnlyGraphAndAFailedSelfTestIsAnErrorRatherThanAWrongImage() {
        String e = assertThrows(IllegalStateException.class, () -> choose(FUSED_ONLY, ScanMode.AUTO, LOADS, FAILED, Device.cuda(0)))
                .getMessage();
        assertTrue(e.contains("failed its self-test on GPU 0 (differs by 0.5 of the output scale)"), e);
    }
}
