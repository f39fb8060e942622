package io.mambair.runtime.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.mambair.runtime.checkpoint.CheckpointResources.assertMatchesTorch;
import static io.mambair.runtime.checkpoint.CheckpointResources.path;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Untrusted, truncated, corrupt and malformed checkpoints: each is refused with a message naming the problem. */
class HostileCheckpointTest {
    /** What the malicious pickles would create (see make_checkpoint_fixtures.py). */
    private static final Path MARKER = Path.of("/tmp/mambair-malicious-checkpoint-marker");

    @TempDir
    Path tmp;

    private static String refusal(Path file) {
        return assertThrows(CheckpointException.class, () -> CheckpointLoader.load(file)).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) assertTrue(message.contains(part), "message should mention '" + part + "': " + message);
    }

    @Test
    void aPickleWhoseReduceCallsOsSystemIsRefusedAndNothingRuns() throws IOException {
        Files.deleteIfExists(MARKER);
        String message = refusal(path("malicious_os_system.pth"));
        assertMentions(message, "'posix.system'", "allow-list", "nothing was executed");
        assertFalse(Files.exists(MARKER), "the command in the pickle must not have run");
    }

    @Test
    void aPickleThatEvaluatesPythonIsRefusedAndNothingRuns() throws IOException {
        Files.deleteIfExists(MARKER);
        assertMentions(refusal(path("malicious_eval.pth")), "'__builtin__.eval'");
        assertFalse(Files.exists(MARKER));
    }

    @Test
    void aProtocol4PickleNamingOsSystemThroughStackGlobalIsRefused() throws IOException {
        Files.deleteIfExists(MARKER);
        assertMentions(refusal(path("malicious_protocol4.pth")), "'posix.system'");
        assertFalse(Files.exists(MARKER));
    }

    @Test
    void theInstOpcodeIsRefusedNamingItsClass() {
        assertMentions(refusal(path("malicious_inst.pth")), "'os.system'");
    }

    @Test
    void everyTruncationIsAClearErrorNeverACrash() throws IOException {
        byte[] good = Files.readAllBytes(path("views.pth"));
        Path file = tmp.resolve("truncated.pth");
        for (int length = 0; length < good.length; length += 7) {
            Files.write(file, Arrays.copyOf(good, length));
            assertThrows(CheckpointException.class, () -> CheckpointLoader.load(file), "truncated to " + length + " bytes");
        }
        Files.write(file, Arrays.copyOf(good, good.length / 2));
        assertMentions(refusal(file), "truncated or corrupt");
    }

    @Test
    void aCorruptByteInsideTensorDataIsDetectedByItsChecksum() throws IOException {
        byte[] bytes = Files.readAllBytes(path("views.pth"));
        bytes[dataOffset(bytes, "views/data/0")] ^= 0x10;
        Path file = tmp.resolve("corrupt.pth");
        Files.write(file, bytes);
        assertMentions(refusal(file), "'views/data/0'", "corrupt", "CRC-32");
    }

    /** Flipping any single byte either still reads the exact same tensors (bytes torch ignores) or is refused. */
    @Test
    void everySingleByteCorruptionIsRefusedOrHarmless() throws IOException {
        byte[] good = Files.readAllBytes(path("views.pth"));
        Path file = tmp.resolve("flipped.pth");
        int refused = 0;
        for (int i = 0; i < good.length; i++) {
            byte[] bytes = good.clone();
            bytes[i] ^= (byte) 0xa5;
            Files.write(file, bytes);
            StateDict state;
            try {
                state = CheckpointLoader.load(file);
            } catch (CheckpointException e) {
                refused++;
                continue;
            }
            assertMatchesTorch("views.expected.json", state);
        }
        assertTrue(refused > good.length / 2, "most bytes matter: " + refused + " of " + good.length + " refused");
    }

    @Test
    void aWrongTopLevelKeyNamesTheKeysFound() {
        assertMentions(refusal(path("wrong_top_level_key.pth")), "'params_ema'", "'params'", "state_dict", "epoch");
    }

    @Test
    void aNonTensorValueIsNamed() {
        assertMentions(refusal(path("non_tensor_value.pth")), "'iteration'", "not a tensor");
    }

    @Test
    void integerTensorsAreRefusedNamingTheTensorAndType() {
        assertMentions(refusal(path("int64_tensor.pth")), "'counter'", "torch.LongStorage");
    }

    @Test
    void anAbsurdElementCountIsRefusedBeforeAllocating() {
        assertMentions(refusal(path("absurd_numel.pth")), "storage '0'", "1099511627776", "holds 16 bytes");
    }

    @Test
    void anAbsurdTensorSizeIsRefusedBeforeAllocating() {
        assertMentions(refusal(path("absurd_tensor_size.pth")), "tensor 'w'", "absurd size [1048576, 1048576]");
    }

    @Test
    void aViewReachingPastItsStorageIsRefused() {
        assertMentions(refusal(path("view_out_of_bounds.pth")), "tensor 'w'", "past the end of storage '0'");
    }

    @Test
    void aMissingStorageEntryIsNamed() {
        assertMentions(refusal(path("missing_storage.pth")), "missing storage entry 'missing_storage/data/7'");
    }

    @Test
    void compressedEntriesAreRefused() {
        assertMentions(refusal(path("compressed_entries.pth")), "compressed");
    }

    @Test
    void theLegacyTorchSaveFormatIsNamed() {
        assertMentions(refusal(path("legacy_format.pth")), "legacy");
    }

    @Test
    void arbitraryBytesAndEmptyFilesAreNotCheckpoints() throws IOException {
        Path garbage = tmp.resolve("garbage.bin");
        Files.write(garbage, "this is not a model at all".getBytes(StandardCharsets.US_ASCII));
        assertMentions(refusal(garbage), "neither a torch.save zip");
        Path empty = Files.createFile(tmp.resolve("empty.pth"));
        assertMentions(refusal(empty), "neither a torch.save zip");
        assertMentions(refusal(tmp.resolve("absent.pth")), "not found");
    }

    @Test
    void aTruncatedSafetensorsFileIsRefused() throws IOException {
        byte[] good = Files.readAllBytes(path("tensors.safetensors"));
        Path file = tmp.resolve("t.safetensors");
        for (int length = 9; length < good.length; length++) {
            Files.write(file, Arrays.copyOf(good, length));
            assertThrows(CheckpointException.class, () -> CheckpointLoader.load(file), "truncated to " + length);
        }
        Files.write(file, Arrays.copyOf(good, good.length - 1));
        assertMentions(refusal(file), "data_offsets", "truncated or corrupt");
    }

    @Test
    void safetensorsWithAnUnsupportedDtypeNamesTheTensor() throws IOException {
        Path file = tmp.resolve("ints.safetensors");
        Files.write(file, safetensors("{\"steps\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8));
        assertMentions(refusal(file), "'steps'", "I64");
    }

    @Test
    void safetensorsOffsetsOutsideTheFileAreRefused() throws IOException {
        Path file = tmp.resolve("offsets.safetensors");
        Files.write(file, safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000],\"data_offsets\":[0,4000000]}}", 16));
        assertMentions(refusal(file), "tensor 'w'", "data_offsets");
    }

    private static byte[] safetensors(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json).array();
    }

    /** Start of the data of zip entry {@code name}: after its local header (30 bytes + name + extra field). */
    private static int dataOffset(byte[] zip, String name) {
        byte[] needle = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 30; i + needle.length <= zip.length; i++) {
            if (Arrays.equals(zip, i, i + needle.length, needle, 0, needle.length)) {
                int header = i - 30;
                int extra = ByteBuffer.wrap(zip, header + 28, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
                return i + needle.length + extra;
            }
        }
        throw new AssertionError(name + " not found");
    }
}
