package io.mambair.runtime.checkpoint;

import java.util.LinkedHashMap;

/**
 * A pickled {@code collections.OrderedDict}. It is the only object pickle's BUILD opcode may apply state to:
 * {@code nn.Module.state_dict()} attaches a {@code _metadata} attribute (module versions) that way, which is ignored.
 */
final class PickledOrderedDict extends LinkedHashMap<Object, Object> {
    private static final long serialVersionUID = 1L;
}
