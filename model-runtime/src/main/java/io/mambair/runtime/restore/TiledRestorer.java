package io.mambair.runtime.restore;

import io.mambair.runtime.arch.ModelConfig;
import io.mambair.runtime.image.PlanarImage;

import java.util.ArrayList;
import java.util.List;

/** A {@link Restorer} over any {@link TileModel}: tile planning, batching, stitching, self-ensemble. */
public final class TiledRestorer implements Restorer {
    private final TileModel model;
    private final ModelConfig config;
    private final String device;
    private final String scan;
    private final TileProgress progress;

    /** A restorer over {@code model}, labelled with the device and scan formulation it runs. */
    public TiledRestorer(TileModel model, ModelConfig config, String device, String scan) {
        this(model, config, device, scan, TileProgress.NONE);
    }

    private TiledRestorer(TileModel model, ModelConfig config, String device, String scan, TileProgress progress) {
        this.model = model;
        this.config = config;
        this.device = device;
        this.scan = scan;
        this.progress = progress;
    }

    @Override
    public Restorer withTileProgress(TileProgress listener) {
        return new TiledRestorer(model, config, device, scan, listener);
    }

    @Override
    public PlanarImage restore(PlanarImage lowQuality, RestoreOptions options) {
        return restoreAll(List.of(lowQuality), options).get(0);
    }

    @Override
    public List<PlanarImage> restoreAll(List<PlanarImage> images, RestoreOptions options) {
        for (PlanarImage img : images) {
            if (img.channels() != config.inChans()) {
                throw new IllegalArgumentException("the model takes " + config.inChans() + "-channel images, got " + img.channels());
            }
        }
        int copies = options.selfEnsemble() ? SelfEnsemble.SIZE : 1;
        List<TilePlan> plans = new ArrayList<>(images.size() * copies);
        for (PlanarImage img : images) {
            for (int k = 0; k < copies; k++) plans.add(plan(copies == 1 ? img : SelfEnsemble.forward(img, k), options));
        }
        new TileExecutor(model, config.inChans(), config.outChans(), config.scale(), config.sizeMultiple(), options.batchSize(),
                new ProgressShares(plans, copies, config.scale(), progress)).execute(plans);
        List<PlanarImage> results = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            if (copies == 1) {
                results.add(plans.get(i).result());
            } else {
                PlanarImage[] outs = new PlanarImage[copies];
                for (int k = 0; k < copies; k++) outs[k] = SelfEnsemble.inverse(plans.get(i * copies + k).result(), k);
                results.add(SelfEnsemble.mean(outs));
            }
        }
        return results;
    }

    private TilePlan plan(PlanarImage img, RestoreOptions o) {
        return switch (o.tileMode()) {
            case WHOLE -> new WholePlan(img, config.scale(), config.outChans());
            case OFFICIAL -> new OfficialPlan(img, config.scale(), config.outChans());
            case BLEND -> new BlendPlan(img, config.scale(), config.outChans(), o.tile(), o.overlap());
        };
    }

    @Override public String device() { return device; }
    @Override public String scan() { return scan; }
    @Override public ModelConfig config() { return config; }
}
