package io.mambair.runtime.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The kernel paths this CPU should run, best first, judged from /proc/cpuinfo (not from the kernel's own detection). */
final class CpuPaths {
    private CpuPaths() {}

    static List<String> expected() throws IOException {
        Set<String> flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("flags") || line.startsWith("Features"))
                .flatMap(line -> Arrays.stream(line.substring(line.indexOf(':') + 1).trim().split("\\s+")))
                .collect(Collectors.toSet());
        List<String> paths = new ArrayList<>();
        if (flags.contains("avx512f")) paths.add("avx512");
        if (flags.contains("avx2") && flags.contains("fma")) paths.add("avx2");
        if (flags.contains("asimd")) paths.add("neon");
        paths.add("generic");
        return paths;
    }
}
