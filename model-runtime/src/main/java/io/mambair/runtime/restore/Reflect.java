package io.mambair.runtime.restore;

/** Reflection indexing without repeating the edge (PyTorch "reflect"), repeated for any distance. */
final class Reflect {
    private Reflect() {}

    /** Maps any index onto [0, n). */
    static int index(int i, int n) {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }
}
