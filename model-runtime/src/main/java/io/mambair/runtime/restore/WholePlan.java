package io.mambair.runtime.restore;

import io.mambair.runtime.image.PlanarImage;

/** The whole image as one tile. */
final class WholePlan implements TilePlan {
    private final PlanarImage input;
    private final int scale;
    private final int outChannels;
    private PlanarImage result;

    WholePlan(PlanarImage input, int scale, int outChannels) {
        this.input = input;
        this.scale = scale;
        this.outChannels = outChannels;
    }

    @Override public PlanarImage input() { return input; }
    @Override public int tileCount() { return 1; }
    @Override public Region tile(int index) { return new Region(0, 0, input.height(), input.width()); }

    @Override
    public void accept(int index, float[] out, int offset) {
        int n = outChannels * input.height() * scale * input.width() * scale;
        float[] data = new float[n];
        System.arraycopy(out, offset, data, 0, n);
        result = new PlanarImage(outChannels, input.height() * scale, input.width() * scale, data);
    }

    @Override public PlanarImage result() { return result; }
}
