package io.mambair.udfs.restore;

import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.ScanMode;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.TileMode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Restore settings, given as a map or as one string of {@code key=value} pairs separated by commas: tile_mode, tile,
 * overlap, batch, self_ensemble, device, scan (auto|fused|standard), format (png|tiff|jpeg), quality. Unknown keys
 * and invalid values are refused with a message naming the option.
 */
public record RestoreSpec(RestoreOptions options, Device device, ScanMode scan, String format, int quality) {
    /** The option names, in the order the messages list them. */
    public static final List<String> KEYS = List.of("tile_mode", "tile", "overlap", "batch", "self_ensemble", "device", "scan", "format", "quality");
    private static final int CACHED = 256;
    private static final Map<Object, RestoreSpec> PARSED = new ConcurrentHashMap<>();

    /** Parses the string; null or blank gives the defaults (official tiling, device auto, png). */
    public static RestoreSpec parse(String spec) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (spec != null && !spec.isBlank()) {
            for (String pair : spec.split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) throw new IllegalArgumentException("restore option '" + pair.trim() + "' is not key=value");
                pairs.put(kv[0], kv[1]);
            }
        }
        return of(pairs);
    }

    /** The settings of an option map (keys case-insensitive); an empty map gives the defaults. */
    public static RestoreSpec of(Map<String, String> options) {
        RestoreOptions o = RestoreOptions.defaults();
        Device device = Device.auto();
        ScanMode scan = ScanMode.AUTO;
        String format = "png";
        int quality = 95;
        for (Map.Entry<String, String> e : options.entrySet()) {
            String k = e.getKey().trim().toLowerCase(Locale.ROOT);
            String v = e.getValue() == null ? "" : e.getValue().trim();
            try {
                switch (k) {
                    case "tile_mode" -> o = o.withTileMode(TileMode.parse(v));
                    case "tile" -> o = o.withTile(positive(v), o.overlap());
                    case "overlap" -> o = o.withTile(o.tile(), nonNegative(v));
                    case "batch" -> o = o.withBatchSize(positive(v));
                    case "self_ensemble" -> o = o.withSelfEnsemble(bool(v));
                    case "device" -> device = Device.parse(v);
                    case "scan" -> scan = ScanMode.parse(v);
                    case "format" -> format = format(v);
                    case "quality" -> quality = quality(v);
                    default -> throw new UnknownOption();
                }
            } catch (UnknownOption u) {
                throw new IllegalArgumentException("unknown restore option '" + k + "' (valid: " + String.join(", ", KEYS) + ")");
            } catch (RuntimeException x) {
                throw new IllegalArgumentException("restore option " + k + " = '" + v + "' is invalid: " + x.getMessage());
            }
        }
        return new RestoreSpec(o, device, scan, format, quality);
    }

    /**
     * The settings of {@code options} (a string as {@link #parse}, a map as {@link #of}, or null), parsed once per
     * distinct value in this JVM: a query's rows share one options value, so they share one parse.
     */
    public static RestoreSpec cached(Object options) {
        Object key = options == null ? "" : options;
        RestoreSpec spec = PARSED.get(key);
        if (spec != null) return spec;
        @SuppressWarnings("unchecked")
        RestoreSpec parsed = key instanceof Map<?, ?> m ? of((Map<String, String>) m) : parse(key.toString());
        if (PARSED.size() >= CACHED) PARSED.clear();
        PARSED.put(key, parsed);
        return parsed;
    }

    private static int integer(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an integer");
        }
    }

    private static int positive(String v) {
        int n = integer(v);
        if (n <= 0) throw new IllegalArgumentException("must be a positive integer");
        return n;
    }

    private static int nonNegative(String v) {
        int n = integer(v);
        if (n < 0) throw new IllegalArgumentException("must be 0 or more");
        return n;
    }

    private static int quality(String v) {
        int q = integer(v);
        if (q < 1 || q > 100) throw new IllegalArgumentException("valid: 1..100");
        return q;
    }

    private static boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("valid: true or false");
        };
    }

    private static String format(String v) {
        String f = v.toLowerCase(Locale.ROOT);
        if (!List.of("png", "tiff", "tif", "jpeg", "jpg").contains(f)) throw new IllegalArgumentException("valid: png, tiff, jpeg");
        return f;
    }

    /** An option name that is not one of {@link #KEYS}. */
    private static final class UnknownOption extends RuntimeException {
        UnknownOption() { super(null, null, false, false); }
    }
}
