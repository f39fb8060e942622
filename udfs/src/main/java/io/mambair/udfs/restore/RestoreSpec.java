package io.mambair.udfs.restore;

import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.ScanMode;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.TileMode;

import java.util.Locale;

/**
 * Restore settings given as one string, {@code key=value} pairs separated by commas: tile_mode, tile,
 * overlap, batch, self_ensemble, device, scan (auto|fused|standard), format (png|tiff|jpeg), quality. Unknown keys
 * are refused.
 */
public record RestoreSpec(RestoreOptions options, Device device, ScanMode scan, String format, int quality) {
    /** Parses the string; null or blank gives the defaults (official tiling, device auto, png). */
    public static RestoreSpec parse(String spec) {
        RestoreOptions o = RestoreOptions.defaults();
        Device device = Device.auto();
        ScanMode scan = ScanMode.AUTO;
        String format = "png";
        int quality = 95;
        if (spec != null && !spec.isBlank()) {
            for (String pair : spec.split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) throw new IllegalArgumentException("restore option '" + pair + "' is not key=value");
                String k = kv[0].trim().toLowerCase(Locale.ROOT);
                String v = kv[1].trim();
                switch (k) {
                    case "tile_mode" -> o = o.withTileMode(TileMode.parse(v));
                    case "tile" -> o = o.withTile(Integer.parseInt(v), o.overlap());
                    case "overlap" -> o = o.withTile(o.tile(), Integer.parseInt(v));
                    case "batch" -> o = o.withBatchSize(Integer.parseInt(v));
                    case "self_ensemble" -> o = o.withSelfEnsemble(Boolean.parseBoolean(v));
                    case "device" -> device = Device.parse(v);
                    case "scan" -> scan = ScanMode.parse(v);
                    case "format" -> format = v.toLowerCase(Locale.ROOT);
                    case "quality" -> quality = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown restore option '" + k
                            + "' (valid: tile_mode, tile, overlap, batch, self_ensemble, device, scan, format, quality)");
                }
            }
        }
        return new RestoreSpec(o, device, scan, format, quality);
    }
}
