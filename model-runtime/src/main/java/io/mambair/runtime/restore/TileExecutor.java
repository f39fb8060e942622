package io.mambair.runtime.restore;

import io.mambair.runtime.image.PlanarImage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams the tiles of many plans through a model in batches: tiles of the same padded shape, from
 * any image, share a batch of at most batch-size tiles ({@link TileBatches} predicts them); a short
 * final batch runs at its true size. Tiles are cut when their batch runs and outputs are handed back
 * at once, so memory holds only the batches in flight plus each plan's output. After each batch, the
 * output pixels it finished are reported to the {@link ProgressShares}.
 */
final class TileExecutor {
    private final TileModel model;
    private final int inChannels;
    private final int outChannels;
    private final int scale;
    private final int sizeMultiple;
    private final int batchSize;
    private final ProgressShares progress;

    TileExecutor(TileModel model, int inChannels, int outChannels, int scale, int sizeMultiple, int batchSize, ProgressShares progress) {
        this.model = model;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.scale = scale;
        this.sizeMultiple = sizeMultiple;
        this.batchSize = batchSize;
        this.progress = progress;
    }

    private record Pending(TilePlan plan, int index, TilePlan.Region region) {}

    /** Runs every tile of every plan. */
    void execute(List<? extends TilePlan> plans) {
        Map<Long, List<Pending>> queues = new LinkedHashMap<>();
        for (TilePlan plan : plans) {
            for (int i = 0; i < plan.tileCount(); i++) {
                TilePlan.Region r = plan.tile(i);
                long key = TileBatches.shapeKey(r.height(), r.width(), sizeMultiple);
                List<Pending> q = queues.computeIfAbsent(key, k -> new ArrayList<>());
                q.add(new Pending(plan, i, r));
                if (q.size() == batchSize) {
                    runBatch(q, (int) (key >>> 32), (int) key);
                    q.clear();
                }
            }
        }
        for (Map.Entry<Long, List<Pending>> e : queues.entrySet()) {
            if (!e.getValue().isEmpty()) runBatch(e.getValue(), (int) (e.getKey() >>> 32), (int) (long) e.getKey());
        }
    }

    private void runBatch(List<Pending> tiles, int h, int w) {
        int tileLen = inChannels * h * w;
        int n = tiles.size();
        float[] batch = new float[n * tileLen];
        for (int b = 0; b < n; b++) {
            Pending p = tiles.get(b);
            cut(p.plan().input(), p.region(), h, w, batch, b * tileLen);
        }
        float[] out = model.run(batch, n, inChannels, h, w);
        int oh = h * scale;
        int ow = w * scale;
        int outLen = outChannels * oh * ow;
        if (out.length != (long) n * outLen) {
            throw new IllegalStateException("model returned " + out.length + " values, expected " + (long) n * outLen);
        }
        long done = 0;
        for (int b = 0; b < tiles.size(); b++) {
            Pending p = tiles.get(b);
            done += progress.tileDone(p.plan());
            int rh = p.region().height() * scale;
            int rw = p.region().width() * scale;
            if (rh == oh && rw == ow) {
                p.plan().accept(p.index(), out, b * outLen);
            } else {
                float[] cropped = new float[outChannels * rh * rw];
                for (int c = 0; c < outChannels; c++) {
                    for (int y = 0; y < rh; y++) {
                        System.arraycopy(out, b * outLen + (c * oh + y) * ow, cropped, (c * rh + y) * rw, rw);
                    }
                }
                p.plan().accept(p.index(), cropped, 0);
            }
        }
        progress.report(done);
    }

    /**
     * Copies region {@code r} of {@code img} into an h x w tile: positions outside the image reflect
     * into it; positions beyond the region (size-multiple padding) reflect into the region.
     */
    private static void cut(PlanarImage img, TilePlan.Region r, int h, int w, float[] dst, int offset) {
        int[] cols = new int[w];
        for (int x = 0; x < w; x++) cols[x] = Reflect.index(r.x() + Reflect.index(x, r.width()), img.width());
        float[] src = img.data();
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < h; y++) {
                int sy = Reflect.index(r.y() + Reflect.index(y, r.height()), img.height());
                int srow = (c * img.height() + sy) * img.width();
                int drow = offset + (c * h + y) * w;
                for (int x = 0; x < w; x++) dst[drow + x] = src[srow + cols[x]];
            }
        }
    }
}
