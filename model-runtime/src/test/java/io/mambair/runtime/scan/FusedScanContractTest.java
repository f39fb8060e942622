package io.mambair.runtime.scan;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The native sources register exactly the operators {@link FusedScanContract} declares, and Java writes the domain once. */
class FusedScanContractTest {
    private static String nativeSource;

    @BeforeAll
    static void readNativeSources() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/native"))) {
            StringBuilder all = new StringBuilder();
            for (Path f : files.filter(p -> p.toString().endsWith(".cc") || p.toString().endsWith(".h")).sorted().toList()) {
                all.append(Files.readString(f)).append('\n');
            }
            nativeSource = all.toString();
        }
        assertFalse(nativeSource.isEmpty(), "no native sources under src/main/native");
    }

    @Test
    void theNativeDomainIsTheDeclaredOne() {
        assertEquals(List.of(FusedScanContract.DOMAIN), groups("CreateCustomOpDomain\\((\\w+)").stream().map(this::constant).toList());
    }

    @Test
    void theNativeLibraryRegistersExactlyTheDeclaredOperators() {
        Set<String> registered = groups("make_op\\(\\s*\\w+\\s*,\\s*(\"[^\"]+\"|\\w+)").stream().map(this::constant).collect(Collectors.toSet());
        Set<String> declared = FusedScanContract.OPERATORS.stream().map(FusedScanContract.Operator::type).collect(Collectors.toSet());
        assertEquals(declared, registered);
    }

    @Test
    void theNativeInputNamesAndRanksAreTheDeclaredOnes() {
        List<String> names = strings(single("kInputNames\\[[^\\]]*\\]\\s*=\\s*\\{([^}]*)\\}"));
        for (FusedScanContract.Operator op : FusedScanContract.OPERATORS) assertEquals(op.inputs(), names, op.type());
        Set<List<Integer>> nativeRanks = new HashSet<>();
        for (String ranks : groups("kRanks\\[[^\\]]*\\]\\s*=\\s*\\{([^}]*)\\}")) {
            nativeRanks.add(Arrays.stream(ranks.split(",")).map(String::trim).map(Integer::valueOf).toList());
        }
        assertEquals(FusedScanContract.OPERATORS.stream().map(FusedScanContract.Operator::inputRanks).collect(Collectors.toSet()), nativeRanks);
    }

    @Test
    void theNativeStartVersionIsTheDeclaredOne() {
        assertEquals(String.valueOf(FusedScanContract.VERSION), single("GetStartVersion[^;]*?return\\s+(\\d+)"));
    }

    @Test
    void theJavaSourcesWriteTheDomainOnce() throws IOException {
        List<Path> writers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(f).contains("\"" + FusedScanContract.DOMAIN + "\"")) writers.add(f.getFileName());
            }
        }
        assertEquals(List.of(Path.of("FusedScanContract.java")), writers);
    }

    /** A C string literal's text, or the value of the {@code constexpr const char*} constant of that name. */
    private String constant(String token) {
        if (token.startsWith("\"")) return token.substring(1, token.length() - 1);
        Map<String, String> constants = new HashMap<>();
        Matcher m = Pattern.compile("const\\s+char\\s*\\*\\s*(\\w+)\\s*=\\s*\"([^\"]*)\"").matcher(nativeSource);
        while (m.find()) constants.put(m.group(1), m.group(2));
        String value = constants.get(token);
        if (value == null) throw new AssertionError("no string constant " + token + " in the native sources");
        return value;
    }

    private static List<String> groups(String regex) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(nativeSource);
        List<String> out = new ArrayList<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static String single(String regex) {
        List<String> found = groups(regex);
        assertEquals(1, found.size(), regex + " in the native sources: " + found);
        return found.get(0);
    }

    private static List<String> strings(String cList) {
        return Arrays.stream(cList.split(",")).map(String::trim).map(s -> s.substring(1, s.length() - 1)).toList();
    }
}
