package io.mambair.runtime.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;

/** Key normalisation shared by every checkpoint format, as BasicSR's {@code load_network} does it. */
final class StateDictKeys {
    private static final String MODULE_PREFIX = "module.";

    private StateDictKeys() {}

    /** Drops a leading {@code module.} (left by DataParallel / DistributedDataParallel) from every key. */
    static <T> Map<String, T> stripModulePrefix(Map<String, T> tensors) {
        Map<String, T> out = new LinkedHashMap<>();
        for (Map.Entry<String, T> e : tensors.entrySet()) {
            String key = e.getKey().startsWith(MODULE_PREFIX) ? e.getKey().substring(MODULE_PREFIX.length()) : e.getKey();
            if (out.putIfAbsent(key, e.getValue()) != null) {
                throw new CheckpointException("checkpoint holds tensor '" + key + "' both with and without the 'module.' prefix");
            }
        }
        return out;
    }
}
