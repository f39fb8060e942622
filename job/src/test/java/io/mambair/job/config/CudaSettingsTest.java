package io.mambair.job.config;

import io.mambair.runtime.engine.CudaOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code restore.cuda.*} keys: parsed once into CudaOptions, ONNX Runtime's CUDA provider options. */
class CudaSettingsTest {
    private static final List<String> REQUIRED = List.of("model.path=/m.pth", "input.path=/in", "output.path=/out");

    private static JobSettings read(List<String> overrides) {
        List<String> all = new java.util.ArrayList<>(REQUIRED);
        all.addAll(overrides);
        return SettingsReader.read(ConfigSources.defaults().overrides(all).resolve(), ConfigSources.defaults().resolve());
    }

    @Test
    void defaultsAreFloat32ExactWithNoMemoryCap() {
        CudaOptions cuda = read(List.of()).restore().cuda();
        assertEquals(CudaOptions.defaults(), cuda);
        assertEquals(Map.of("use_tf32", "0", "cudnn_conv_algo_search", "EXHAUSTIVE"), cuda.providerOptions());
    }

    @Test
    void keysBecomeTheProvidersOptions() {
        CudaOptions cuda = read(List.of("restore.cuda.tf32=true", "restore.cuda.memory-limit-mib=2048",
                "restore.cuda.conv-algo-search=heuristic")).restore().cuda();
        assertEquals(new CudaOptions(true, 2048L << 20, CudaOptions.ConvAlgoSearch.HEURISTIC), cuda);
        assertEquals(Map.of("use_tf32", "1", "gpu_mem_limit", "2147483648", "cudnn_conv_algo_search", "HEURISTIC"),
                cuda.providerOptions());
    }

    @Test
    void invalidValuesAreOneLineProblems() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> read(List.of(
                "restore.cuda.conv-algo-search=fastest", "restore.cuda.memory-limit-mib=-1", "restore.cuda.tf32=maybe")));
        String m = e.getMessage();
        assertEquals(3, e.problems().size(), m);
        assertTrue(m.contains("restore.cuda.conv-algo-search = 'fastest' is invalid; valid: exhaustive, heuristic, default"), m);
        assertTrue(m.contains("restore.cuda.memory-limit-mib = -1 is out of range"), m);
        assertTrue(m.contains("restore.cuda.tf32 = \"maybe\" must be true or false"), m);
    }

    @Test
    void scanAndRequireAssignedGpuDefaultToAutoAndTheCpuFallbackAndParseOnce() {
        JobSettings.Restore defaults = read(List.of()).restore();
        assertEquals(io.mambair.runtime.engine.ScanMode.AUTO, defaults.scan());
        assertEquals(false, defaults.requireAssignedGpu());
        JobSettings.Restore set = read(List.of("restore.scan=standard", "restore.require-assigned-gpu=true")).restore();
        assertEquals(io.mambair.runtime.engine.ScanMode.STANDARD, set.scan());
        assertEquals(true, set.requireAssignedGpu());
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> read(List.of("restore.scan=cuda")));
        assertTrue(e.getMessage().contains("restore.scan = 'cuda' is invalid; valid: auto, fused, standard"), e.getMessage());
    }
}
