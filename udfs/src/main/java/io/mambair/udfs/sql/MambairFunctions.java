package io.mambair.udfs.sql;

import io.mambair.runtime.engine.SessionPool;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageDecodeException;
import io.mambair.udfs.codec.ImageDecoder;
import io.mambair.udfs.codec.ImageEncoder;
import io.mambair.udfs.codec.ImageFiles;
import io.mambair.udfs.codec.ImageInfo;
import io.mambair.udfs.degrade.DegradeSpec;
import io.mambair.udfs.device.TaskDevice;
import io.mambair.udfs.degrade.Degrader;
import io.mambair.udfs.degrade.OfficialReference;
import io.mambair.udfs.metrics.BicubicBaseline;
import io.mambair.udfs.metrics.MetricOptions;
import io.mambair.udfs.metrics.Psnr;
import io.mambair.udfs.metrics.Quality;
import io.mambair.udfs.metrics.Ssim;
import io.mambair.udfs.restore.ImageRestore;
import io.mambair.udfs.restore.ModelCache;
import io.mambair.udfs.restore.RestoreSpec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.udf;

/**
 * The image SQL functions. Images are binary columns (e.g. {@code content} of a {@code binaryFile}
 * table) in any decodable format or {@code .npy}; a null argument gives null; an undecodable image
 * fails the query with a message naming the problem. The pixel bound comes from
 * {@value #MAX_PIXELS_CONF} (default {@value #DEFAULT_MAX_PIXELS}), the sessions kept per executor from
 * {@value #MAX_SESSIONS_CONF} (default 4).
 * <ul>
 *   <li>{@code image_info(image)} struct&lt;width, height, channels, has_alpha, bit_depth, format&gt; from the header only</li>
 *   <li>{@code psnr(reference, image, crop_border, y_channel)} and {@code ssim(...)}: BasicSR convention, 8-bit</li>
 *   <li>{@code bicubic_baseline(ground_truth, low_res, scale, y_channel)} struct&lt;psnr, ssim&gt; of MATLAB-bicubic upscaling</li>
 *   <li>{@code restore(image, model_path, options)} the restored image, encoded; {@code model_path} is a local
 *       path readable on every executor; options a string or a map as in {@link RestoreSpec}, parsed once per distinct
 *       value; sessions cached per executor ({@link ModelCache})</li>
 *   <li>{@code try_restore(image, model_path, options)} struct&lt;image, error struct&lt;error_class, message&gt;&gt;: as
 *       restore, but an image that cannot be decoded or restored gives a null image and its error</li>
 *   <li>{@code degrade(image, options)} the degraded benchmark input (the official Gaussian-noise
 *       inputs, MATLAB bicubic, JPEG), encoded ({@code .npy} by default); options as in {@link DegradeSpec}</li>
 * </ul>
 */
public final class MambairFunctions {
    /** Spark configuration key of the largest image (in pixels) the functions decode. */
    public static final String MAX_PIXELS_CONF = "spark.mambair.maxPixels";
    public static final long DEFAULT_MAX_PIXELS = io.mambair.udfs.codec.ImageFiles.DEFAULT_MAX_PIXELS;
    /** Spark configuration key of the most model sessions {@code restore} keeps per executor (least recently used go). */
    public static final String MAX_SESSIONS_CONF = "spark.mambair.sql.restore.maxSessions";

    static final StructType INFO_TYPE = new StructType()
            .add("width", DataTypes.IntegerType, false)
            .add("height", DataTypes.IntegerType, false)
            .add("channels", DataTypes.IntegerType, false)
            .add("has_alpha", DataTypes.BooleanType, false)
            .add("bit_depth", DataTypes.IntegerType, false)
            .add("format", DataTypes.StringType, false);
    static final StructType TRY_RESTORE_TYPE = new StructType()
            .add("image", DataTypes.BinaryType, true)
            .add("error", new StructType().add("error_class", DataTypes.StringType, false).add("message", DataTypes.StringType, false), true);
    static final StructType QUALITY_TYPE = new StructType()
            .add("psnr", DataTypes.DoubleType, false)
            .add("ssim", DataTypes.DoubleType, false);

    private MambairFunctions() {}

    /** Registers every function in {@code spark}'s session as a temporary function. */
    public static void register(SparkSession spark) {
        for (SqlFunction f : functions(maxPixels(spark), maxSessions(spark))) spark.udf().register(f.name(), f.udf());
    }

    /** The session bound configured in the session. */
    static int maxSessions(SparkSession spark) {
        return Integer.parseInt(spark.conf().get(MAX_SESSIONS_CONF, Integer.toString(ModelCache.DEFAULT_MAX_SESSIONS)));
    }

    /** The pixel bound configured in the session. */
    static long maxPixels(SparkSession spark) {
        return Long.parseLong(spark.conf().get(MAX_PIXELS_CONF, Long.toString(DEFAULT_MAX_PIXELS)));
    }

    /** All functions, decoding at most {@code maxPixels} pixels per image, restore keeping {@code maxSessions} sessions per executor. */
    public static List<SqlFunction> functions(long maxPixels, int maxSessions) {
        return List.of(
                new SqlFunction("image_info",
                        udf((UDF1<byte[], Row>) bytes -> bytes == null ? null : info(bytes), INFO_TYPE),
                        "image_info(image) - width, height, channels, has_alpha, bit_depth, format from the header"),
                new SqlFunction("psnr",
                        udf((UDF4<byte[], byte[], Integer, Boolean, Double>) (ref, img, crop, y) ->
                                anyNull(ref, img, crop, y) ? null : Psnr.of(decode(ref, "reference", maxPixels), decode(img, "image", maxPixels), MetricOptions.basicsr(crop, y)),
                                DataTypes.DoubleType),
                        "psnr(reference, image, crop_border, y_channel) - PSNR in dB, BasicSR convention"),
                new SqlFunction("ssim",
                        udf((UDF4<byte[], byte[], Integer, Boolean, Double>) (ref, img, crop, y) ->
                                anyNull(ref, img, crop, y) ? null : Ssim.of(decode(ref, "reference", maxPixels), decode(img, "image", maxPixels), MetricOptions.basicsr(crop, y)),
                                DataTypes.DoubleType),
                        "ssim(reference, image, crop_border, y_channel) - SSIM, BasicSR convention"),
                new SqlFunction("bicubic_baseline",
                        udf((UDF4<byte[], byte[], Integer, Boolean, Row>) (gt, lr, scale, y) ->
                                anyNull(gt, lr, scale, y) ? null : baseline(gt, lr, scale, y, maxPixels), QUALITY_TYPE),
                        "bicubic_baseline(ground_truth, low_res, scale, y_channel) - PSNR/SSIM of MATLAB-bicubic upscaling, crop = scale"),
                new SqlFunction("restore",
                        udf((UDF3<byte[], String, Object, byte[]>) (img, model, options) ->
                                anyNull(img, model) ? null : restore(img, model, spec(options), maxPixels, maxSessions), DataTypes.BinaryType),
                        "restore(image, model_path, options) - the image restored by a MambaIR model, encoded; options a string"
                                + " 'k=v,...' or a map (" + String.join(", ", RestoreSpec.KEYS) + ")"),
                new SqlFunction("try_restore",
                        udf((UDF3<byte[], String, Object, Row>) (img, model, options) ->
                                anyNull(img, model) ? null : tryRestore(img, model, spec(options), maxPixels, maxSessions), TRY_RESTORE_TYPE),
                        "try_restore(image, model_path, options) - as restore, but an image that cannot be restored gives"
                                + " struct(image = null, error = struct(error_class, message)) instead of failing the query"),
                new SqlFunction("degrade",
                        udf((UDF2<byte[], String, byte[]>) (img, options) -> img == null ? null : degrade(img, options, maxPixels),
                                DataTypes.BinaryType),
                        "degrade(image, options) - the degraded benchmark input, encoded (options: bicubic_scale, noise_sigma, "
                                + "noise_seed, jpeg_quality, grey, keep_orientation, format; npy by default)"));
    }

    private static Row info(byte[] bytes) throws ImageDecodeException {
        ImageInfo i = ImageDecoder.info(bytes, "image");
        return RowFactory.create(i.width(), i.height(), i.channels(), i.hasAlpha(), i.bitDepth(), i.format());
    }

    private static Row baseline(byte[] gt, byte[] lr, int scale, boolean y, long maxPixels) throws ImageDecodeException {
        DecodedImage low = ImageFiles.decode(lr, "low_res", maxPixels);
        Quality q = BicubicBaseline.measure(decode(gt, "ground_truth", maxPixels), low.color(), low.bitDepth(), scale, y, 8);
        return RowFactory.create(q.psnr(), q.ssim());
    }

    /** The options argument (a string, a Spark map or null) as settings, parsed once per distinct value. */
    static RestoreSpec spec(Object options) {
        if (options instanceof scala.collection.Map<?, ?> m) {
            Map<String, String> copy = new TreeMap<>();
            scala.collection.Iterator<? extends scala.Tuple2<?, ?>> it = m.iterator();
            while (it.hasNext()) {
                scala.Tuple2<?, ?> kv = it.next();
                copy.put(String.valueOf(kv._1()), kv._2() == null ? null : String.valueOf(kv._2()));
            }
            return RestoreSpec.cached(copy);
        }
        return RestoreSpec.cached(options);
    }

    /**
     * The restored image, or the image's own failure as an error struct. Bad options, a model that cannot load and
     * device faults still fail the query: they are not the image's.
     */
    private static Row tryRestore(byte[] image, String modelPath, RestoreSpec spec, long maxPixels, int maxSessions) {
        try {
            return RowFactory.create(restore(image, modelPath, spec, maxPixels, maxSessions), null);
        } catch (ImageDecodeException | IllegalArgumentException e) {
            return RowFactory.create(null, RowFactory.create(e.getClass().getSimpleName(), String.valueOf(e.getMessage())));
        }
    }

    private static byte[] restore(byte[] image, String modelPath, RestoreSpec spec, long maxPixels, int maxSessions)
            throws ImageDecodeException {
        ModelCache models = ModelCache.shared();
        models.setMaxSessions(maxSessions);
        DecodedImage restored;
        try (SessionPool<String>.Lease lease = models.lease(modelPath, spec.scan(), TaskDevice.forTask(spec.device()))) {
            restored = ImageRestore.restore(ImageFiles.decode(image, "image", maxPixels), lease.restorer(), spec.options());
        }
        return ImageEncoder.encode(restored, spec.format(), spec.quality());
    }

    private static byte[] degrade(byte[] image, String options, long maxPixels) throws ImageDecodeException {
        DegradeSpec spec = DegradeSpec.parse(options);
        DecodedImage in = ImageFiles.decode(image, "image", maxPixels, spec.read());
        DecodedImage out = Degrader.apply(OfficialReference.forDegradation(in, spec.read(), spec.degradation()), spec.degradation());
        return ImageFiles.encode(out, spec.format(), spec.degradation().jpegQuality() > 0 ? spec.degradation().jpegQuality() : 95);
    }

    private static PlanarImage decode(byte[] bytes, String role, long maxPixels) throws ImageDecodeException {
        return ImageFiles.decode(bytes, role, maxPixels).color();
    }

    private static boolean anyNull(Object... args) {
        for (Object a : args) if (a == null) return true;
        return false;
    }
}
