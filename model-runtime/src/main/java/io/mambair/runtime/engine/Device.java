package io.mambair.runtime.engine;

/**
 * Where inference runs: the CPU, a CUDA GPU by ordinal (explicit: an error when it cannot start), or AUTO
 * (that GPU, 0 unless a scheduler assigned another, when it starts, else the CPU), with the CUDA provider's
 * settings used whenever CUDA is tried.
 */
public record Device(Kind kind, int ordinal, CudaOptions cuda) implements java.io.Serializable {
    public enum Kind { CPU, CUDA, AUTO }

    public Device {
        if (ordinal < 0) throw new IllegalArgumentException("GPU ordinal must be >= 0, got " + ordinal);
        java.util.Objects.requireNonNull(cuda, "cuda");
    }

    public static Device cpu() { return new Device(Kind.CPU, 0, CudaOptions.defaults()); }
    public static Device cuda(int ordinal) { return new Device(Kind.CUDA, ordinal, CudaOptions.defaults()); }
    public static Device auto() { return auto(0); }
    /** AUTO trying GPU {@code ordinal} first (the GPU a scheduler assigned). */
    public static Device auto(int ordinal) { return new Device(Kind.AUTO, ordinal, CudaOptions.defaults()); }

    /** This device with the given CUDA provider settings. */
    public Device withCuda(CudaOptions options) { return new Device(kind, ordinal, options); }

    /** Parses "cpu", "auto", "cuda" or "cuda:N". */
    public static Device parse(String s) {
        String v = s.trim().toLowerCase();
        if (v.equals("cpu")) return cpu();
        if (v.equals("auto")) return auto();
        if (v.equals("cuda")) return cuda(0);
        if (v.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(v.substring(5)));
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("unknown device '" + s + "' (valid: auto, cpu, cuda, cuda:N)");
    }

    /** True when CUDA should be tried. */
    public boolean wantsCuda() { return kind != Kind.CPU; }

    /** True when a GPU that cannot start must be an error rather than the CPU (an explicit cuda or cuda:N). */
    public boolean gpuRequired() { return kind == Kind.CUDA; }

    @Override
    public String toString() {
        return switch (kind) {
            case CPU -> "cpu";
            case AUTO -> ordinal == 0 ? "auto" : "auto:" + ordinal;
            case CUDA -> "cuda:" + ordinal;
        };
    }
}
