package io.mambair.job.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.mambair.job.memory.BudgetSize;
import io.mambair.runtime.engine.CudaOptions;
import io.mambair.runtime.engine.ScanMode;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.TileMode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Turns a layered configuration into {@link JobSettings}, collecting every problem (unknown key,
 * wrong type, invalid value, missing required value) into one {@link InvalidConfigException}
 * that also says what is valid.
 */
public final class SettingsReader {
    private static final String P = ConfigSources.ROOT + ".";
    private static final String HADOOP = P + "hadoop";

    private final Config config;
    private final Set<String> knownKeys;
    private final List<String> problems = new ArrayList<>();

    private SettingsReader(Config config, Config defaults) {
        this.config = config;
        this.knownKeys = defaults.entrySet().stream().map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Validates {@code config} against the keys of {@code defaults} and reads it. */
    public static JobSettings read(Config config, Config defaults) {
        return new SettingsReader(config, defaults).read();
    }

    private JobSettings read() {
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(P)) {
                problems.add("unknown key '" + key + "': job keys live under '" + ConfigSources.ROOT + ".'");
            } else if (!key.startsWith(HADOOP + ".") && !knownKeys.contains(key)) {
                problems.add(KeySuggestions.unknownKey(key.substring(P.length()), origin(e.getValue()),
                        knownKeys.stream().map(k -> k.substring(P.length())).toList()));
            }
        }
        JobSettings.Mode mode = enumOf("mode", JobSettings.Mode.class);
        JobSettings.Model model = new JobSettings.Model(required("model.path"), string("model.task"),
                intIn("model.scale", 0, 16));
        JobSettings.Input input = new JobSettings.Input(required("input.path"), nonEmpty("input.glob"),
                bool("input.recursive"), positiveLong("input.max-pixels"), bool("input.apply-orientation"));
        JobSettings.Benchmark benchmark = benchmark(mode);
        JobSettings.Restore restore = restore();
        JobSettings.Output output = new JobSettings.Output(required("output.path"),
                enumOf("output.format", JobSettings.OutputFormat.class), intIn("output.jpeg-quality", 1, 100),
                bool("output.write-images"), enumOf("output.mode", JobSettings.WriteMode.class), string("output.tables-path"),
                bool("output.keep-model-colour"), enumOf("output.table-format", JobSettings.TableFormat.class), tableName());
        int partitions = intIn("partitions", 0, Integer.MAX_VALUE);
        int progress = intIn("progress-interval-s", 1, 86_400);
        Map<String, String> hadoop = hadoop();
        double failOnErrorFraction = doubleIn("fail-on-error-fraction", 0, 1);
        String runId = runId();
        if (!problems.isEmpty()) throw new InvalidConfigException(problems);
        return new JobSettings(runId, string("dataset"), mode, model, input, benchmark, restore, output,
                partitions, progress, hadoop, failOnErrorFraction);
    }

    private JobSettings.Benchmark benchmark(JobSettings.Mode mode) {
        JobSettings.LqSource source = enumOf("benchmark.lq-source", JobSettings.LqSource.class);
        String reference = string("benchmark.reference-path");
        if (mode == JobSettings.Mode.BENCHMARK && source == JobSettings.LqSource.PAIRED && reference != null && reference.isBlank()) {
            problems.add("benchmark.reference-path is required when mode = benchmark and benchmark.lq-source = paired");
        }
        String lqTemplate = template("benchmark.lq-template");
        String refTemplate = template("benchmark.reference-template");
        JobSettings.Degradation degradation = new JobSettings.Degradation(
                enumOf("benchmark.degradation.kind", JobSettings.DegradationKind.class),
                doubleIn("benchmark.degradation.noise-sigma", 0, 255),
                longValue("benchmark.degradation.noise-seed"),
                intIn("benchmark.degradation.jpeg-quality", 1, 100));
        return new JobSettings.Benchmark(source, reference, lqTemplate, refTemplate,
                intIn("benchmark.crop-border", -1, 10_000), degradation);
    }

    private JobSettings.Restore restore() {
        String tileMode = checked("restore.tile-mode", () -> TileMode.parse(string("restore.tile-mode")), "whole, blend, official");
        int before = problems.size();
        int tile = intIn("restore.tile", 1, 1 << 16);
        int overlap = intIn("restore.overlap", 0, 1 << 16);
        String device = checked("restore.device", () -> Device.parse(string("restore.device")), "auto, cpu, cuda, cuda:N");
        int batch = intIn("restore.batch-size", 1, 4096);
        int inFlight = intIn("restore.max-pixels-in-flight", 1, Integer.MAX_VALUE);
        if (problems.size() == before && tileMode != null) {
            try {
                // the runtime's own validation, so every setting accepted here is one the runtime accepts
                new RestoreOptions(TileMode.parse(tileMode), tile, overlap, batch, false);
            } catch (IllegalArgumentException e) {
                problems.add("restore.tile = " + tile + ", restore.overlap = " + overlap + ", restore.batch-size = " + batch
                        + " are invalid: " + e.getMessage());
            }
        }
        if (problems.size() == before && "blend".equals(tileMode) && (long) batch * tile * tile > inFlight) {
            problems.add("restore.batch-size x restore.tile^2 = " + batch + " x " + tile + "^2 = " + (long) batch * tile * tile
                    + " pixels exceeds restore.max-pixels-in-flight = " + inFlight + "; lower the batch or tile, or raise the bound");
        }
        ScanMode scan = enumOf("restore.scan", ScanMode.class);
        BudgetSize memory = budgetSize("restore.memory-budget");
        return new JobSettings.Restore(tileMode, tile, overlap, batch, bool("restore.self-ensemble"), device, inFlight, memory, cuda(),
                scan == null ? ScanMode.AUTO : scan, bool("restore.require-assigned-gpu"));  // bad values: a problem is recorded
    }

    private CudaOptions cuda() {
        long limitMib = intIn("restore.cuda.memory-limit-mib", 0, Integer.MAX_VALUE);
        CudaOptions.ConvAlgoSearch search = enumOf("restore.cuda.conv-algo-search", CudaOptions.ConvAlgoSearch.class);
        return new CudaOptions(bool("restore.cuda.tf32"), Math.max(0, limitMib) << 20,
                search == null ? CudaOptions.ConvAlgoSearch.EXHAUSTIVE : search);  // bad values: a problem is recorded
    }

    private Map<String, String> hadoop() {
        Map<String, String> out = new LinkedHashMap<>();
        putIfSet(out, "fs.s3a.endpoint", string("s3.endpoint"));
        putIfSet(out, "fs.s3a.path.style.access", string("s3.path-style-access"));
        putIfSet(out, "fs.s3a.access.key", string("s3.access-key"));
        putIfSet(out, "fs.s3a.secret.key", string("s3.secret-key"));
        if (config.hasPath(HADOOP)) {
            try {
                for (Map.Entry<String, ConfigValue> e : config.getConfig(HADOOP).entrySet()) {
                    out.put(String.join(".", ConfigUtil.splitPath(e.getKey())), String.valueOf(e.getValue().unwrapped()));
                }
            } catch (ConfigException e) {
                problems.add("hadoop must be an object of Hadoop configuration entries: " + e.getMessage());
            }
        }
        return out;
    }

    private static void putIfSet(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) m.put(k, v);
    }

    /** The run id: a folder name and a partition value, so letters, digits, '.', '_' and '-' only. */
    private String runId() {
        String v = string("run-id");
        if (v != null && !v.isEmpty() && !v.matches("[A-Za-z0-9._-]+")) {
            problems.add("run-id = '" + v + "' is invalid; valid: letters, digits, '.', '_' and '-' (or empty for a UTC timestamp)");
        }
        return v;
    }

    /** A metastore table name, {@code [catalog.][schema.]table}; empty = path-based tables. */
    private String tableName() {
        String v = string("output.table-name");
        if (v != null && !v.isEmpty() && !v.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){0,2}")) {
            problems.add("output.table-name = '" + v + "' is invalid; valid: [catalog.][schema.]table, each part letters, digits and '_'");
        } else if (v != null && !v.isEmpty() && !"delta".equalsIgnoreCase(string("output.table-format"))) {
            problems.add("output.table-name = '" + v + "' needs output.table-format = delta");
        }
        return v;
    }

    private BudgetSize budgetSize(String key) {
        String v = string(key);
        if (v == null) return null;
        try {
            return BudgetSize.parse(v);
        } catch (IllegalArgumentException e) {
            problems.add(key + " is invalid: " + e.getMessage());
            return null;
        }
    }

    private String checked(String key, Supplier<Object> parse, String valid) {
        String v = string(key);
        if (v == null) return null;
        try {
            parse.get();
            return v.trim().toLowerCase(Locale.ROOT);
        } catch (RuntimeException e) {
            problems.add(key + " = '" + v + "' is invalid; valid: " + valid);
            return null;
        }
    }

    private String template(String key) {
        String v = nonEmpty(key);
        if (v != null && !v.contains("{name}")) problems.add(key + " = '" + v + "' must contain {name}");
        return v;
    }

    private <E extends Enum<E>> E enumOf(String key, Class<E> type) {
        String v = string(key);
        if (v == null) return null;
        String norm = v.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) if (e.name().equals(norm)) return e;
        problems.add(key + " = '" + v + "' is invalid; valid: " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(", ")));
        return null;
    }

    private String required(String key) {
        String v = string(key);
        if (v != null && v.isBlank()) problems.add(key + " is required (set it in the config file or with --set " + key + "=...)");
        return v;
    }

    private String nonEmpty(String key) {
        String v = string(key);
        if (v != null && v.isBlank()) problems.add(key + " must not be empty");
        return v;
    }

    private String string(String key) {
        return get(key, () -> config.getString(P + key), "a string");
    }

    private boolean bool(String key) {
        Boolean b = get(key, () -> config.getBoolean(P + key), "true or false");
        return b != null && b;
    }

    private long longValue(String key) {
        Long v = get(key, () -> config.getLong(P + key), "an integer");
        return v == null ? 0 : v;
    }

    private long positiveLong(String key) {
        long v = longValue(key);
        if (v <= 0 && config.hasPath(P + key)) problems.add(key + " = " + v + " must be positive");
        return v;
    }

    private int intIn(String key, int min, int max) {
        Integer v = get(key, () -> config.getInt(P + key), "an integer");
        if (v == null) return min;
        if (v < min || v > max) problems.add(key + " = " + v + " is out of range; valid: " + min + ".." + max);
        return v;
    }

    private double doubleIn(String key, double min, double max) {
        Double v = get(key, () -> config.getDouble(P + key), "a number");
        if (v == null) return min;
        if (v < min || v > max) problems.add(key + " = " + v + " is out of range; valid: " + min + ".." + max);
        return v;
    }

    private <T> T get(String key, Supplier<T> getter, String expected) {
        try {
            return getter.get();
        } catch (ConfigException.Missing e) {
            problems.add(key + " is missing");
        } catch (ConfigException e) {
            problems.add(wrongType(key, expected));
        }
        return null;
    }

    /**
     * A value of the wrong type, as the user wrote it and where, without HOCON's origin and type jargon; where a
     * parent of the key is itself not an object (e.g. {@code --set restore=fast}), HOCON's own one-line message.
     */
    private String wrongType(String key, String expected) {
        try {
            ConfigValue v = config.getValue(P + key);
            String shown = EffectiveConfig.isSecret(key) ? EffectiveConfig.REDACTED : v.render(ConfigRenderOptions.concise());
            return key + " = " + shown + " must be " + expected + " (" + origin(v) + ")";
        } catch (ConfigException e) {
            return key + " must be " + expected + ": " + e.getMessage();
        }
    }

        /** Where a value was set, in words: "--set", "FILE line N" or "spark conf KEY" (never the value). */
    private static String origin(ConfigValue v) {
        String d = v.origin().description();
        if (d.startsWith("--set")) return "--set";
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.*): (\\d+)(-\\d+)?$").matcher(d);
        return m.matches() ? m.group(1) + " line " + m.group(2) : d;
    }
}
