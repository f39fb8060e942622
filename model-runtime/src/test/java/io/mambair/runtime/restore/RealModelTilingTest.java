package io.mambair.runtime.restore;

import io.mambair.runtime.cli.ConvertCommand;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.npy.Npy;
import io.mambair.runtime.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batching, self-ensemble and concurrency with a real (fixture) MambaIR model. */
class RealModelTilingTest {
    static PlanarImage fixtureInput() throws Exception {
        Npy.FloatArray in = Npy.read(SharedData.fixture("protocol_light_sr_x2_tiled").resolve("input.npy"));
        long[] s = in.shape();
        return new PlanarImage((int) s[1], (int) s[2], (int) s[3], in.data());
    }

    static PlanarImage crop(PlanarImage img, int y0, int x0, int h, int w) {
        PlanarImage out = PlanarImage.zeros(img.channels(), h, w);
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) out.set(c, y, x, img.get(c, y0 + y, x0 + x));
            }
        }
        return out;
    }

    static void assertClose(float[] expected, float[] actual, float tol) {
        assertEquals(expected.length, actual.length);
        float max = 0;
        for (int i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(expected[i] - actual[i]));
        assertTrue(max <= tol, "max abs diff " + max + " > " + tol);
    }

    @Test
    void batchedTilesOfSeveralImagesEqualBatchSizeOne() throws Exception {
        ResolvedModel model = ResolvedModel.resolve(SharedData.fixture("light_sr_x4").resolve("model.pth"));
        Restorer r = SharedRuntime.get(model, Device.cpu());
        PlanarImage img = fixtureInput();
        List<PlanarImage> images = List.of(crop(img, 0, 0, 50, 70), crop(img, 60, 30, 41, 33), crop(img, 100, 100, 20, 20));
        RestoreOptions one = new RestoreOptions(TileMode.BLEND, 24, 6, 1, false);
        List<PlanarImage> batched = r.restoreAll(images, one.withBatchSize(5));
        for (int i = 0; i < images.size(); i++) assertClose(r.restore(images.get(i), one).data(), batched.get(i).data(), 1e-5f);
    }

    @Test
    void selfEnsembleIsTheMeanOfEightExplicitlyTransformedRuns() throws Exception {
        ResolvedModel model = ResolvedModel.resolve(SharedData.fixture("light_sr_x4").resolve("model.pth"));
        Restorer r = SharedRuntime.get(model, Device.cpu());
        PlanarImage img = crop(fixtureInput(), 10, 20, 19, 26);
        RestoreOptions whole = RestoreOptions.defaults().withTileMode(TileMode.WHOLE);
        float[] sum = null;
        for (int transpose = 0; transpose < 2; transpose++) {
            for (int flipY = 0; flipY < 2; flipY++) {
                for (int flipX = 0; flipX < 2; flipX++) {
                    PlanarImage t = transform(img, flipY == 1, flipX == 1, transpose == 1);
                    PlanarImage back = untransform(r.restore(t, whole), flipY == 1, flipX == 1, transpose == 1);
                    if (sum == null) sum = new float[back.data().length];
                    for (int i = 0; i < sum.length; i++) sum[i] += back.data()[i] / 8f;
                }
            }
        }
        assertClose(sum, r.restore(img, whole.withSelfEnsemble(true)).data(), 1e-5f);
    }

    /** Flip rows, flip columns, then transpose (written out here independently of SelfEnsemble). */
    private static PlanarImage transform(PlanarImage img, boolean flipY, boolean flipX, boolean transpose) {
        int h = img.height();
        int w = img.width();
        PlanarImage out = transpose ? PlanarImage.zeros(img.channels(), w, h) : PlanarImage.zeros(img.channels(), h, w);
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = img.get(c, flipY ? h - 1 - y : y, flipX ? w - 1 - x : x);
                    if (transpose) out.set(c, x, y, v); else out.set(c, y, x, v);
                }
            }
        }
        return out;
    }

    private static PlanarImage untransform(PlanarImage img, boolean flipY, boolean flipX, boolean transpose) {
        int h = transpose ? img.width() : img.height();
        int w = transpose ? img.height() : img.width();
        PlanarImage out = PlanarImage.zeros(img.channels(), h, w);
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int ty = flipY ? h - 1 - y : y;
                    int tx = flipX ? w - 1 - x : x;
                    out.set(c, y, x, transpose ? img.get(c, tx, ty) : img.get(c, ty, tx));
                }
            }
        }
        return out;
    }

    @Test
    void eightThreadsShareOneSessionAndMatchSequentialRuns(@TempDir Path tmp) throws Exception {
        Path onnx = tmp.resolve("concurrency.onnx");
        assertEquals(0, new CommandLine(new ConvertCommand()).execute("--model",
                SharedData.fixture("light_sr_x4").resolve("model.pth").toString(), "--output", onnx.toString()));
        // a model file no other test has loaded in this JVM: add a unique metadata entry
        java.nio.file.Files.write(onnx, ai.onnx.proto.OnnxMl.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(onnx)).toBuilder()
                .addMetadataProps(ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder().setKey("test.nonce")
                        .setValue(java.util.UUID.randomUUID().toString())).build().toByteArray());
        ResolvedModel model = ResolvedModel.resolve(onnx);
        PlanarImage img = fixtureInput();
        List<PlanarImage> inputs = new ArrayList<>();
        for (int i = 0; i < 8; i++) inputs.add(crop(img, 7 * i, 11 * i, 30 + i, 40 - i));
        RestoreOptions o = new RestoreOptions(TileMode.BLEND, 16, 4, 2, false);
        int before = SharedRuntime.sessionsBuilt();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<PlanarImage>> futures = new ArrayList<>();
        for (PlanarImage in : inputs) futures.add(pool.submit(() -> SharedRuntime.get(model, Device.cpu()).restore(in, o)));
        List<PlanarImage> concurrent = new ArrayList<>();
        for (Future<PlanarImage> f : futures) concurrent.add(f.get());
        pool.shutdown();
        assertEquals(before + 1, SharedRuntime.sessionsBuilt(), "exactly one session for the model");
        for (int i = 0; i < inputs.size(); i++) {
            assertArrayEquals(SharedRuntime.get(model, Device.cpu()).restore(inputs.get(i), o).data(), concurrent.get(i).data());
        }
    }
}
