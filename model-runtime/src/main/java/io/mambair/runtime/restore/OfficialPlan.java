package io.mambair.runtime.restore;

import io.mambair.runtime.image.PlanarImage;

/**
 * The official test-time tiling of {@code MambaIRModel.test()}: (h//200+1) x (w//200+1) cells after
 * reflect-padding bottom/right to multiples of those counts, each tile extended by split//10 on inner
 * edges, each output cell taken from its own tile, then the padding cropped.
 */
final class OfficialPlan implements TilePlan {
    private final PlanarImage input;
    private final int scale;
    private final int outChannels;
    private final int rows;
    private final int cols;
    private final int splitH;
    private final int splitW;
    private final int shaveH;
    private final int shaveW;
    private final float[] out;

    OfficialPlan(PlanarImage input, int scale, int outChannels) {
        this.input = input;
        this.scale = scale;
        this.outChannels = outChannels;
        int h = input.height();
        int w = input.width();
        int tokensH = h / 200 + 1;
        int tokensW = w / 200 + 1;
        int padH = h % tokensH == 0 ? 0 : tokensH - h % tokensH;
        int padW = w % tokensW == 0 ? 0 : tokensW - w % tokensW;
        splitH = (h + padH) / tokensH;
        splitW = (w + padW) / tokensW;
        shaveH = splitH / 10;
        shaveW = splitW / 10;
        rows = (h + padH) / splitH;
        cols = (w + padW) / splitW;
        out = new float[outChannels * h * scale * w * scale];
    }

    @Override public PlanarImage input() { return input; }
    @Override public int tileCount() { return rows * cols; }

    @Override
    public Region tile(int index) {
        int i = index / cols;
        int j = index % cols;
        int top = i * splitH - (i > 0 ? shaveH : 0);
        int bottom = (i + 1) * splitH + (i < rows - 1 ? shaveH : 0);
        int left = j * splitW - (j > 0 ? shaveW : 0);
        int right = (j + 1) * splitW + (j < cols - 1 ? shaveW : 0);
        return new Region(top, left, bottom - top, right - left);
    }

    @Override
    public void accept(int index, float[] tileOut, int offset) {
        int i = index / cols;
        int j = index % cols;
        Region r = tile(index);
        int th = r.height() * scale;
        int tw = r.width() * scale;
        int srcY = i == 0 ? 0 : shaveH * scale;
        int srcX = j == 0 ? 0 : shaveW * scale;
        int oh = input.height() * scale;
        int ow = input.width() * scale;
        int dstY0 = i * splitH * scale;
        int dstX0 = j * splitW * scale;
        int cellH = Math.min(splitH * scale, oh - dstY0);
        int cellW = Math.min(splitW * scale, ow - dstX0);
        if (cellH <= 0 || cellW <= 0) return;
        for (int c = 0; c < outChannels; c++) {
            for (int y = 0; y < cellH; y++) {
                System.arraycopy(tileOut, offset + (c * th + srcY + y) * tw + srcX,
                        out, (c * oh + dstY0 + y) * ow + dstX0, cellW);
            }
        }
    }

    @Override
    public PlanarImage result() {
        return new PlanarImage(outChannels, input.height() * scale, input.width() * scale, out);
    }
}
