package io.mambair.runtime.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a model checkpoint into a {@link StateDict}, choosing the format from the file's content, not its name:
 * a zip is a {@code torch.save} checkpoint ({@code .pth}), an 8-byte length followed by a JSON header is
 * {@code .safetensors}. Every stored dtype is widened to float32.
 */
public final class CheckpointLoader {
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final int PICKLE_PROTO = 0x80;

    private CheckpointLoader() {}

    /** Reads {@code file}; any unreadable, unsupported, hostile or malformed content is a {@link CheckpointException}. */
    public static StateDict load(Path file) {
        if (!Files.isRegularFile(file)) throw new CheckpointException("checkpoint not found: " + file);
        byte[] head;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(9);
            size = Files.size(file);
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
        if (startsWith(head, ZIP_MAGIC)) return TorchCheckpointReader.read(file);
        if (SafetensorsReader.looksLike(head, size)) return SafetensorsReader.read(file);
        if (head.length > 0 && (head[0] & 0xff) == PICKLE_PROTO) {
            throw new CheckpointException("checkpoint " + file + " uses the legacy (pre-1.6) torch.save format, which is not supported;"
                    + " re-save it with a current torch.save (zip format)");
        }
        throw new CheckpointException("checkpoint " + file + " is neither a torch.save zip (.pth) nor a .safetensors file"
                + " (ONNX models are used as they are, not loaded as checkpoints)");
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (data[i] != prefix[i]) return false;
        return true;
    }
}
