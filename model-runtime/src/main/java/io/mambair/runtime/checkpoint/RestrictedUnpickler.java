package io.mambair.runtime.checkpoint;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Unpickles a torch.save {@code data.pkl} treating it as untrusted input. Pyrolite never executes Python, but
 * by default it turns any unknown global into a {@code ClassDict}; here every global is resolved against a
 * fixed allow-list instead (its static constructor registry is bypassed entirely), so a pickle that names
 * anything else, such as {@code posix.system} or {@code builtins.eval}, is refused before any object is built.
 * Storages come from the archive through torch's persistent ids {@code ('storage', <StorageClass>, key, location, numel)}.
 */
final class RestrictedUnpickler extends Unpickler {
    private static final Map<String, IObjectConstructor> ALLOWED = allowList();

    private final TorchZipArchive archive;
    private final Map<String, Storage> storages = new HashMap<>();

    RestrictedUnpickler(TorchZipArchive archive) {
        this.archive = archive;
    }

    private static Map<String, IObjectConstructor> allowList() {
        Map<String, IObjectConstructor> m = new HashMap<>();
        m.put("collections.OrderedDict", args -> {
            if (args.length != 0) throw new CheckpointException("checkpoint pickle builds an OrderedDict from arguments; torch.save never does");
            return new PickledOrderedDict();
        });
        m.put("torch._utils._rebuild_tensor_v2", TensorRef::rebuild);
        m.put("torch._utils._rebuild_parameter", TensorRef::parameter);
        m.put("torch._utils._rebuild_parameter_with_state", TensorRef::parameter);
        storageClass(m, "FloatStorage", ElementType.FLOAT32);
        storageClass(m, "HalfStorage", ElementType.FLOAT16);
        storageClass(m, "BFloat16Storage", ElementType.BFLOAT16);
        storageClass(m, "DoubleStorage", ElementType.FLOAT64);
        for (String integral : new String[] {"LongStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage"}) {
            storageClass(m, integral, null);
        }
        return Map.copyOf(m);
    }

    private static void storageClass(Map<String, IObjectConstructor> m, String name, ElementType type) {
        m.put("torch." + name, new StorageClass("torch." + name, type));
    }

    /** Parses {@code pickle}; any problem, including a refused global, is a {@link CheckpointException}. */
    Object parse(byte[] pickle) {
        try {
            return loads(pickle);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("checkpoint pickle (data.pkl) is corrupt: " + e, e);
        }
    }

    @Override
    protected Object dispatch(short opcode) throws IOException {
        switch (opcode) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(resolve(String.valueOf(module), String.valueOf(name)));
            }
            case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case Opcodes.SETITEMS -> setItems();
            case Opcodes.BUILD -> build();
            case Opcodes.INST -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                throw refused(module + "." + name);
            }
            case Opcodes.OBJ, Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4 -> throw new CheckpointException(
                    "checkpoint pickle uses opcode 0x" + Integer.toHexString(opcode) + " to build an object of an arbitrary class;"
                            + " refused (torch.save never writes it, nothing was executed)");
            default -> { return super.dispatch(opcode); }
        }
        return NO_RETURN_VALUE;
    }

    /** SETITEMS keeping the pickled order (Pyrolite's own goes through a HashMap, losing the state dict's order). */
    private void setItems() {
        List<Object> items = stack.pop_all_since_marker();
        if (!(stack.peek() instanceof Map<?, ?>) || items.size() % 2 != 0) {
            throw new CheckpointException("checkpoint pickle (data.pkl) is corrupt: SETITEMS without a dict");
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
        for (int i = 0; i < items.size(); i += 2) dict.put(items.get(i), items.get(i + 1));
    }

    /** BUILD (set an object's state) is accepted only for the {@code _metadata} of an OrderedDict, and ignored. */
    private void build() {
        Object state = stack.pop();
        Object target = stack.peek();
        if (!(target instanceof PickledOrderedDict) || !(state instanceof Map<?, ?>)) {
            throw new CheckpointException("checkpoint pickle sets the state of a " + (target == null ? "None" : target.getClass().getSimpleName())
                    + "; only an OrderedDict's _metadata is accepted");
        }
    }

    private static IObjectConstructor resolve(String module, String name) {
        IObjectConstructor constructor = ALLOWED.get(module + "." + name);
        if (constructor == null) throw refused(module + "." + name);
        return constructor;
    }

    private static CheckpointException refused(String global) {
        return new CheckpointException("checkpoint pickle refers to global '" + global + "', which is not on the allow-list of "
                + "torch/collections globals; refused to load it (nothing was executed)");
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] t) || t.length != 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageClass storageClass)
                || !(t[2] instanceof String key) || !(t[4] instanceof Number numel) || numel.longValue() < 0) {
            throw new CheckpointException("checkpoint pickle has a persistent id that is not a torch storage record");
        }
        Storage storage = storages.computeIfAbsent(key, k -> new Storage(k, storageClass, numel.longValue(), archive));
        if (storage.storageClass() != storageClass || storage.numel() != numel.longValue()) {
            throw new CheckpointException("storage '" + key + "' is declared twice with different types or sizes");
        }
        return storage;
    }
}
