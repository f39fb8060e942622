package io.mambair.udfs.restore;

import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.Restorer;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.resize.MatlabImresize;
import io.mambair.udfs.resize.SampleType;

/**
 * How a decoded image meets a model, the same for the CLI, the SQL function and the job: grey images
 * go to colour models as three equal planes and come back grey (as Real-ESRGAN does), the colour
 * planes are restored, alpha is upscaled with MATLAB bicubic at the image's bit depth.
 */
public final class ImageRestore {
    private ImageRestore() {}

    /**
     * The restored image, keeping the input's bit depth, format, alpha and channels (a grey input comes
     * back grey, see {@link #asInput}); colour values of a colour input are not clamped.
     */
    public static DecodedImage restore(DecodedImage in, Restorer restorer, RestoreOptions options) {
        PlanarImage color = restorer.restore(modelInput(in.color(), restorer.config().inChans()), options);
        return new DecodedImage(asInput(in.color(), color), upscaledAlpha(in, restorer.config().scale()), in.bitDepth(), in.format());
    }

    /**
     * The model's output with the input's channels: for a grey input and a colour model, the clamped
     * planes as one grey plane, 0.299 R + 0.587 G + 0.114 B (Real-ESRGAN's {@code cv2.cvtColor(BGR2GRAY)}
     * on its clamped float output); otherwise the output itself. Metrics use the model's output, not this.
     */
    public static PlanarImage asInput(PlanarImage input, PlanarImage modelOutput) {
        if (input.channels() != 1 || modelOutput.channels() != 3) return modelOutput;
        int n = modelOutput.height() * modelOutput.width();
        float[] s = modelOutput.data();
        float[] grey = new float[n];
        for (int i = 0; i < n; i++) {
            grey[i] = 0.299f * clamp(s[i]) + 0.587f * clamp(s[n + i]) + 0.114f * clamp(s[2 * n + i]);
        }
        return new PlanarImage(1, modelOutput.height(), modelOutput.width(), grey);
    }

    private static float clamp(float v) {
        return Math.min(1f, Math.max(0f, v));
    }

    /** Grey images as three equal planes for colour models; a colour image for a grey model is refused. */
    public static PlanarImage modelInput(PlanarImage image, int modelChannels) {
        if (image.channels() == modelChannels) return image;
        if (image.channels() == 1 && modelChannels == 3) {
            int n = image.height() * image.width();
            float[] d = new float[3 * n];
            for (int c = 0; c < 3; c++) System.arraycopy(image.data(), 0, d, c * n, n);
            return new PlanarImage(3, image.height(), image.width(), d);
        }
        throw new IllegalArgumentException("image has " + image.channels() + " colour channels, the model expects " + modelChannels);
    }

    /** The alpha plane scaled by {@code scale} (null when the image has none). */
    public static PlanarImage upscaledAlpha(DecodedImage in, int scale) {
        if (!in.hasAlpha()) return null;
        return scale == 1 ? in.alpha() : MatlabImresize.resize(in.alpha(), scale, SampleType.forBitDepth(in.bitDepth()));
    }
}
