package io.mambair.runtime.scan.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The OrtApi slot numbers the native library calls through (ort_cuda_abi.h's kOrtSlot constants and
 * ort_custom_op_abi.h's MAMBAIR_ORT_SLOT checks) against ONNX Runtime's C header, recorded with provenance in
 * ort_c_api_slots.txt.
 */
class OrtApiSlotsTest {
    private static final Path NATIVE = Path.of("src", "main", "native");

    @Test
    void everyCudaSlotIsTheHeadersIndex() throws IOException {
        Map<String, Integer> facts = headerFacts();
        Map<String, Integer> declared = declared(NATIVE.resolve("cuda/ort_cuda_abi.h"),
                Pattern.compile("constexpr size_t kOrtSlot(\\w+) = (\\d+);"));
        assertFalse(declared.isEmpty(), "no kOrtSlot constants found");
        declared.forEach((name, index) -> {
            assertNotNull(facts.get(name), name + " is not in ort_c_api_slots.txt");
            assertEquals(facts.get(name), index, "OrtApi slot of " + name);
        });
    }

    @Test
    void theCpuOperatorsSlotsAgreeWhereRecorded() throws IOException {
        Map<String, Integer> facts = headerFacts();
        Map<String, Integer> declared = declared(NATIVE.resolve("ort_custom_op_abi.h"),
                Pattern.compile("MAMBAIR_ORT_SLOT\\((\\w+), (\\d+)\\);"));
        int checked = 0;
        for (Map.Entry<String, Integer> slot : declared.entrySet()) {
            if (facts.containsKey(slot.getKey())) {
                assertEquals(facts.get(slot.getKey()), slot.getValue(), "OrtApi slot of " + slot.getKey());
                checked++;
            }
        }
        assertEquals(6, checked, "recorded slots of ort_custom_op_abi.h checked");
    }

    private static Map<String, Integer> declared(Path header, Pattern pattern) throws IOException {
        Map<String, Integer> slots = new LinkedHashMap<>();
        Matcher m = pattern.matcher(Files.readString(header));
        while (m.find()) slots.put(m.group(1), Integer.parseInt(m.group(2)));
        return slots;
    }

    private static Map<String, Integer> headerFacts() throws IOException {
        Map<String, Integer> facts = new LinkedHashMap<>();
        try (InputStream in = OrtApiSlotsTest.class.getResourceAsStream("ort_c_api_slots.txt")) {
            assertNotNull(in, "ort_c_api_slots.txt");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.trim().split("\\s+");
                facts.put(f[0], Integer.parseInt(f[1]));
            }
        }
        return facts;
    }
}
