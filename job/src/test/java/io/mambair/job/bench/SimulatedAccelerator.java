package io.mambair.job.bench;

import io.mambair.job.NearestUpscale;
import io.mambair.runtime.restore.TileModel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A benchmark-only stand-in for a GPU: each batch is held for a fixed latency while the calling
 * thread sleeps (no CPU used, as when a thread waits on a device), then comes back nearest-neighbour
 * upscaled. One device: batches from concurrent callers queue one after another.
 */
final class SimulatedAccelerator implements TileModel {
    private final long latencyNanos;
    private final int scale;

    SimulatedAccelerator(long latencyMillis, int scale) {
        this.latencyNanos = TimeUnit.MILLISECONDS.toNanos(latencyMillis);
        this.scale = scale;
    }

    @Override
    public synchronized float[] run(float[] nchw, int n, int channels, int height, int width) {
        long end = System.nanoTime() + latencyNanos;
        for (long left = latencyNanos; left > 0; left = end - System.nanoTime()) LockSupport.parkNanos(left);
        return NearestUpscale.of(nchw, n * channels, height, width, scale);
    }
}
