package io.mambair.runtime.engine;

import ai.onnxruntime.OrtException;
import io.mambair.runtime.restore.TileModel;

/** Runs tile batches through an {@link InferenceSession}. */
public final class SessionTileModel implements TileModel {
    private final InferenceSession session;

    public SessionTileModel(InferenceSession session) {
        this.session = session;
    }

    @Override
    public float[] run(float[] nchw, int n, int channels, int height, int width) {
        try {
            return session.run(nchw, new long[] {n, channels, height, width}).data();
        } catch (OrtException e) {
            throw new IllegalStateException("inference failed on a " + n + "x" + channels + "x" + height + "x" + width
                    + " batch: " + e.getMessage(), e);
        }
    }
}
