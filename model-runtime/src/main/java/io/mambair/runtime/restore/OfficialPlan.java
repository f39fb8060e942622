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
    private final Grid grid;
    private final float[] out;

    /** The cell grid of an h x w image: cell counts, cell sizes and the shave added on inner edges. */
    record Grid(int rows, int cols, int splitH, int splitW, int shaveH, int shaveW) {
        static Grid of(int h, int w) {
            int tokensH = h / 200 + 1;
            int tokensW = w / 200 + 1;
            int padH = h % tokensH == 0 ? 0 : tokensH - h % tokensH;
            int padW = w % tokensW == 0 ? 0 : tokensW - w % tokensW;
            int splitH = (h + padH) / tokensH;
            int splitW = (w + padW) / tokensW;
            return new Grid((h + padH) / splitH, (w + padW) / splitW, splitH, splitW, splitH / 10, splitW / 10);
        }

        int tileCount() { return rows * cols; }

        Region tile(int index) {
            int i = index / cols;
            int j = index % cols;
            int top = i * splitH - (i > 0 ? shaveH : 0);
            int bottom = (i + 1) * splitH + (i < rows - 1 ? shaveH : 0);
            int left = j * splitW - (j > 0 ? shaveW : 0);
            int right = (j + 1) * splitW + (j < cols - 1 ? shaveW : 0);
            return new Region(top, left, bottom - top, right - left);
        }
    }

    OfficialPlan(PlanarImage input, int scale, int outChannels) {
        this.input = input;
        this.scale = scale;
        this.outChannels = outChannels;
        grid = Grid.of(input.height(), input.width());
        out = new float[outChannels * input.height() * scale * input.width() * scale];
    }

    @Override public PlanarImage input() { return input; }
    @Override public int tileCount() { return grid.tileCount(); }
    @Override public Region tile(int index) { return grid.tile(index); }

    @Override
    public void accept(int index, float[] tileOut, int offset) {
        int i = index / grid.cols();
        int j = index % grid.cols();
        int splitH = grid.splitH();
        int splitW = grid.splitW();
        Region r = tile(index);
        int th = r.height() * scale;
        int tw = r.width() * scale;
        int srcY = i == 0 ? 0 : grid.shaveH() * scale;
        int srcX = j == 0 ? 0 : grid.shaveW() * scale;
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
