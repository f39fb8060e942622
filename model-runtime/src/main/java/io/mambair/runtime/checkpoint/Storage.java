package io.mambair.runtime.checkpoint;

/** One storage of a torch zip checkpoint, read from the archive the first time a tensor needs it. */
final class Storage {
    private final String key;
    private final StorageClass storageClass;
    private final long numel;
    private final TorchZipArchive archive;
    private float[] values;

    Storage(String key, StorageClass storageClass, long numel, TorchZipArchive archive) {
        this.key = key;
        this.storageClass = storageClass;
        this.numel = numel;
        this.archive = archive;
    }

    String key() { return key; }
    StorageClass storageClass() { return storageClass; }
    long numel() { return numel; }

    /** The storage's elements widened to float32 (its class must have a float element type). */
    float[] values() {
        if (values == null) values = archive.storage(key, storageClass.type(), numel);
        return values;
    }
}
