package io.mambair.udfs.degrade;

import io.mambair.udfs.codec.DecodeOptions;

import java.util.Locale;

/**
 * Degrade settings given as one string, {@code key=value} pairs separated by commas: bicubic_scale,
 * noise_sigma, noise_seed, jpeg_quality, grey (read as OpenCV's IMREAD_GRAYSCALE), keep_orientation,
 * format (npy, the default, keeps the unclipped float values; png|tiff|jpeg quantise). Unknown keys are refused.
 */
public record DegradeSpec(Degradation degradation, DecodeOptions read, String format) {
    /** Parses the string; null or blank gives no degradation, colour as a viewer shows it, npy. */
    public static DegradeSpec parse(String spec) {
        int scale = 1;
        double sigma = 0;
        long seed = 0;
        int quality = 0;
        boolean grey = false;
        boolean keepOrientation = false;
        String format = "npy";
        if (spec != null && !spec.isBlank()) {
            for (String pair : spec.split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) throw new IllegalArgumentException("degrade option '" + pair + "' is not key=value");
                String k = kv[0].trim().toLowerCase(Locale.ROOT);
                String v = kv[1].trim();
                switch (k) {
                    case "bicubic_scale" -> scale = Integer.parseInt(v);
                    case "noise_sigma" -> sigma = Double.parseDouble(v);
                    case "noise_seed" -> seed = Long.parseLong(v);
                    case "jpeg_quality" -> quality = Integer.parseInt(v);
                    case "grey" -> grey = Boolean.parseBoolean(v);
                    case "keep_orientation" -> keepOrientation = Boolean.parseBoolean(v);
                    case "format" -> format = v.toLowerCase(Locale.ROOT);
                    default -> throw new IllegalArgumentException("unknown degrade option '" + k
                            + "' (valid: bicubic_scale, noise_sigma, noise_seed, jpeg_quality, grey, keep_orientation, format)");
                }
            }
        }
        return new DegradeSpec(new Degradation(scale, sigma, seed, quality), new DecodeOptions(grey, !keepOrientation), format);
    }
}
