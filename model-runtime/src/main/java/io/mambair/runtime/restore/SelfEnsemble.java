package io.mambair.runtime.restore;

import io.mambair.runtime.image.PlanarImage;

/**
 * The x8 geometric self-ensemble: the eight flips/transposes of the dihedral group applied to the
 * input, undone on each output, averaged (the "+" rows of the MambaIR paper).
 */
final class SelfEnsemble {
    static final int SIZE = 8;

    private SelfEnsemble() {}

    /** Transform k: flip rows if bit 1, flip columns if bit 0, then transpose if bit 2. */
    static PlanarImage forward(PlanarImage img, int k) {
        PlanarImage r = img;
        if ((k & 2) != 0) r = flipRows(r);
        if ((k & 1) != 0) r = flipCols(r);
        if ((k & 4) != 0) r = transpose(r);
        return r;
    }

    /** Undoes {@link #forward} for the same k. */
    static PlanarImage inverse(PlanarImage img, int k) {
        PlanarImage r = img;
        if ((k & 4) != 0) r = transpose(r);
        if ((k & 1) != 0) r = flipCols(r);
        if ((k & 2) != 0) r = flipRows(r);
        return r;
    }

    /** Mean of aligned outputs. */
    static PlanarImage mean(PlanarImage[] outputs) {
        PlanarImage first = outputs[0];
        float[] sum = new float[first.data().length];
        for (PlanarImage o : outputs) {
            float[] d = o.data();
            for (int i = 0; i < sum.length; i++) sum[i] += d[i];
        }
        for (int i = 0; i < sum.length; i++) sum[i] /= outputs.length;
        return new PlanarImage(first.channels(), first.height(), first.width(), sum);
    }

    private static PlanarImage flipRows(PlanarImage img) {
        PlanarImage out = PlanarImage.zeros(img.channels(), img.height(), img.width());
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < img.height(); y++) {
                System.arraycopy(img.data(), (c * img.height() + y) * img.width(), out.data(),
                        (c * img.height() + img.height() - 1 - y) * img.width(), img.width());
            }
        }
        return out;
    }

    private static PlanarImage flipCols(PlanarImage img) {
        PlanarImage out = PlanarImage.zeros(img.channels(), img.height(), img.width());
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < img.height(); y++) {
                for (int x = 0; x < img.width(); x++) out.set(c, y, img.width() - 1 - x, img.get(c, y, x));
            }
        }
        return out;
    }

    private static PlanarImage transpose(PlanarImage img) {
        PlanarImage out = PlanarImage.zeros(img.channels(), img.width(), img.height());
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < img.height(); y++) {
                for (int x = 0; x < img.width(); x++) out.set(c, x, y, img.get(c, y, x));
            }
        }
        return out;
    }
}
