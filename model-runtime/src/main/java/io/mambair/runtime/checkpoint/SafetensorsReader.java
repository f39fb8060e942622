package io.mambair.runtime.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a {@code .safetensors} file: an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets}}} and the raw little-endian data. Hand-written because no Java
 * library reads the format without a native engine; the header size and every offset are checked against
 * the file before anything is allocated.
 */
final class SafetensorsReader {
    /** The format's own limit on the header size. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsReader() {}

    /** True when the first 9 bytes of a file of {@code fileSize} bytes look like a safetensors header. */
    static boolean looksLike(byte[] head, long fileSize) {
        if (head.length < 9) return false;
        long headerBytes = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return headerBytes >= 2 && headerBytes <= Math.min(MAX_HEADER_BYTES, fileSize - 8) && head[8] == '{';
    }

    static StateDict read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            long headerBytes = readAt(ch, 0, 8).getLong();
            if (headerBytes < 2 || headerBytes > MAX_HEADER_BYTES || headerBytes > fileSize - 8) {
                throw new CheckpointException("safetensors file " + file + " declares a header of " + headerBytes + " bytes, but the file has "
                        + fileSize + " (truncated or corrupt)");
            }
            JsonNode header = parseHeader(file, readAt(ch, 8, (int) headerBytes));
            long dataStart = 8 + headerBytes;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("__metadata__")) tensors.put(e.getKey(), tensor(ch, e.getKey(), e.getValue(), dataStart, fileSize));
            }
            if (tensors.isEmpty()) throw new CheckpointException("safetensors file " + file + " holds no tensors");
            return new StateDict(StateDictKeys.stripModulePrefix(tensors));
        } catch (IOException e) {
            throw new CheckpointException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parseHeader(Path file, ByteBuffer bytes) {
        try {
            JsonNode header = JSON.readTree(bytes.array());
            if (header == null || !header.isObject()) throw new CheckpointException("safetensors header of " + file + " is not a JSON object");
            return header;
        } catch (JsonProcessingException e) {
            throw new CheckpointException("safetensors header of " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CheckpointException("cannot parse safetensors header of " + file, e);
        }
    }

    private static Tensor tensor(FileChannel ch, String name, JsonNode info, long dataStart, long fileSize) throws IOException {
        ElementType type = switch (info.path("dtype").asText()) {
            case "F32" -> ElementType.FLOAT32;
            case "F16" -> ElementType.FLOAT16;
            case "BF16" -> ElementType.BFLOAT16;
            case "F64" -> ElementType.FLOAT64;
            default -> throw new CheckpointException("tensor '" + name + "' has dtype '" + info.path("dtype").asText()
                    + "'; only F32, F16, BF16 and F64 are supported");
        };
        JsonNode shapeNode = info.path("shape");
        JsonNode offsets = info.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new CheckpointException("tensor '" + name + "' has a malformed safetensors header entry: " + info);
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
            if (!shapeNode.get(i).canConvertToLong() || shape[i] < 0) {
                throw new CheckpointException("tensor '" + name + "' has an invalid shape " + shapeNode);
            }
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        long numel;
        long bytes;
        try {
            numel = Tensor.numel(shape);
            bytes = Math.multiplyExact(numel, (long) type.bytes());
        } catch (ArithmeticException e) {
            throw new CheckpointException("tensor '" + name + "' has an absurd shape " + shapeNode);
        }
        if (begin < 0 || end < begin || end > fileSize - dataStart || end - begin != bytes) {
            throw new CheckpointException("tensor '" + name + "' has data_offsets " + offsets + " that do not hold its " + bytes
                    + " bytes inside the " + (fileSize - dataStart) + "-byte data section (truncated or corrupt)");
        }
        if (bytes > Integer.MAX_VALUE - 8) throw new CheckpointException("tensor '" + name + "' is over 2 GiB; not supported");
        return new Tensor(shape, type.decode(readAt(ch, dataStart + begin, (int) bytes), (int) numel));
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) throw new CheckpointException("unexpected end of file at byte " + (position + buf.position()));
        }
        return buf.flip();
    }
}
