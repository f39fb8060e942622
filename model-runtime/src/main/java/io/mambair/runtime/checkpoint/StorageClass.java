package io.mambair.runtime.checkpoint;

import net.razorvine.pickle.IObjectConstructor;

/**
 * A {@code torch.*Storage} global as it appears in a storage's persistent id. {@code type} is null for
 * storage classes this reader knows but does not load (integer and boolean storages). Never callable.
 */
record StorageClass(String global, ElementType type) implements IObjectConstructor {
    @Override
    public Object construct(Object[] args) {
        throw new CheckpointException("checkpoint pickle calls " + global + "(...); torch.save never does that");
    }
}
