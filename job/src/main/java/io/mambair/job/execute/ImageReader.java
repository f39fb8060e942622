package io.mambair.job.execute;

import io.mambair.job.config.JobSettings;
import io.mambair.job.input.WorkItem;
import io.mambair.udfs.codec.DecodeOptions;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageDecodeException;
import io.mambair.udfs.codec.ImageDecoder;
import io.mambair.udfs.degrade.Degradation;
import io.mambair.udfs.degrade.Degrader;
import io.mambair.udfs.degrade.OfficialReference;
import io.mambair.udfs.restore.ImageRestore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * The first stage: reads and decodes an item's low-quality image (or synthesises it from the
 * reference by the configured degradation) and its reference, as the planes the model takes.
 */
public final class ImageReader {
    private final Configuration conf;
    private final long maxPixels;
    private final Degradation degradation;
    private final int modelChannels;
    private final boolean applyOrientation;

    /** A reader for a model of {@code scale} taking {@code modelChannels} planes. */
    public ImageReader(JobSettings settings, int scale, int modelChannels, Configuration conf) {
        this.conf = conf;
        this.maxPixels = settings.input().maxPixels();
        this.degradation = degradation(settings.benchmark().degradation(), scale);
        this.modelChannels = modelChannels;
        this.applyOrientation = settings.input().applyOrientation();
    }

    /**
     * The loaded image; a problem of the image (undecodable, deleted after listing, wrong channels)
     * is thrown as an ordinary exception, a failure of the file system as {@link StorageFailure}.
     */
    public LoadedImage read(WorkItem item) throws IOException {
        DecodedImage reference = null;
        DecodedImage lq;
        if (item.synthesize()) {
            reference = OfficialReference.read(bytes(item.referenceUri()), item.imageId(), maxPixels, modelChannels, applyOrientation);
            lq = Degrader.apply(reference, degradation);
        } else {
            lq = ImageDecoder.decode(bytes(item.inputUri()), item.imageId(), maxPixels, DecodeOptions.DEFAULT.withOrientation(applyOrientation));
            if (item.referenceUri() != null) {
                reference = OfficialReference.read(bytes(item.referenceUri()), item.referenceUri(), maxPixels, modelChannels, applyOrientation);
            }
        }
        return new LoadedImage(item, lq, reference, ImageRestore.modelInput(lq.color(), modelChannels));
    }

    static Degradation degradation(JobSettings.Degradation d, int scale) {
        return switch (d.kind()) {
            case BICUBIC -> Degradation.bicubic(scale);
            case NOISE -> new Degradation(1, d.noiseSigma(), d.noiseSeed(), 0);
            case JPEG -> new Degradation(1, 0, 0, d.jpegQuality());
        };
    }

    /** The whole file; a missing file is the image's problem, any other I/O failure the storage's. */
    private byte[] bytes(String uri) throws IOException {
        Path p = new Path(uri);
        try {
            FileSystem fs = p.getFileSystem(conf);
            FileStatus st = fs.getFileStatus(p);
            if (st.getLen() > Integer.MAX_VALUE - 8) throw new ImageDecodeException(uri + " is larger than 2 GiB");
            byte[] b = new byte[(int) st.getLen()];
            try (FSDataInputStream in = fs.open(p)) {
                in.readFully(0, b);
            }
            return b;
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException(uri + " no longer exists (deleted after it was listed)");
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageFailure("reading " + uri, e);
        }
    }
}
