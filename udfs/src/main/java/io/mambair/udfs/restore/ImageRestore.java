package io.mambair.udfs.restore;

import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.Restorer;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.resize.MatlabImresize;
import io.mambair.udfs.resize.SampleType;

/** Restores a decoded image: the colour planes through the model, alpha upscaled with MATLAB bicubic. */
public final class ImageRestore {
    private ImageRestore() {}

    /** The restored image, keeping the input's bit depth and format; colour values are not clamped. */
    public static DecodedImage restore(DecodedImage in, Restorer restorer, RestoreOptions options) {
        int expected = restorer.config().inChans();
        if (in.color().channels() != expected) {
            throw new IllegalArgumentException("the model takes " + expected + "-channel images, this image has "
                    + in.color().channels() + " colour channels");
        }
        PlanarImage color = restorer.restore(in.color(), options);
        int scale = restorer.config().scale();
        PlanarImage alpha = !in.hasAlpha() ? null : scale == 1 ? in.alpha() : MatlabImresize.resize(in.alpha(), scale, SampleType.FLOAT);
        return new DecodedImage(color, alpha, in.bitDepth(), in.format());
    }
}
