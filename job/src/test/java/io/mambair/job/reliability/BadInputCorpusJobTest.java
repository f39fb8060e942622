package io.mambair.job.reliability;

import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.job.RunSummary;
import io.mambair.job.output.AtomicFiles;
import io.mambair.job.output.ImageRow;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.TileMode;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageDecoder;
import io.mambair.udfs.codec.Quantizer;
import io.mambair.udfs.restore.ImageRestore;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generated corpus of 30 inputs of 27 kinds, good and bad, mixed in one folder tree: the job
 * succeeds, every input has exactly one row, good images equal the runtime's own restore of the same
 * decoded pixels, bad ones are error rows naming the specific problem, no partial output exists,
 * inputs are untouched and the counts reconcile.
 */
class BadInputCorpusJobTest {
    private static final int SCALE = 4;
    private static final RestoreOptions OPTIONS = new RestoreOptions(TileMode.BLEND, 16, 4, 4, false);
    private static SparkSession spark;

    @BeforeAll
    static void start() { spark = JobTestSupport.localSpark(); }

    @AfterAll
    static void stop() { if (spark != null) spark.stop(); }

    /** What a corpus file must become: {@code errorClass} null means status ok. */
    private record Expect(String errorClass, String messagePart) {
        static Expect ok() { return new Expect(null, null); }
        static Expect error(String errorClass, String messagePart) { return new Expect(errorClass, messagePart); }
    }

    private static Map<String, Expect> writeCorpus(Path in) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, Expect> expect = new LinkedHashMap<>();
        byte[] png = TestImages.encode(TestImages.rgb(24, 20, 1), "png");
        byte[] jpg = TestImages.encode(TestImages.rgb(24, 20, 2), "jpeg");
        byte[] tiff = TestImages.encode(TestImages.rgb(24, 20, 3), "tiff");
        // good and unusual images
        put(files, expect, "good-png.png", png, Expect.ok());
        put(files, expect, "good-jpeg.jpg", jpg, Expect.ok());
        put(files, expect, "good-tiff.tiff", tiff, Expect.ok());
        put(files, expect, "good-bmp.bmp", TestImages.encode(TestImages.rgb(20, 18, 4), "bmp"), Expect.ok());
        put(files, expect, "grey.png", TestImages.encode(TestImages.grey(22, 17, 5), "png"), Expect.ok());
        put(files, expect, "grey16.png", TestImages.encode(TestImages.sixteenBit(18, 15, 1), "png"), Expect.ok());
        put(files, expect, "rgb16.png", TestImages.encode(TestImages.sixteenBit(17, 19, 3), "png"), Expect.ok());
        put(files, expect, "alpha.png", TestImages.encode(TestImages.argb(21, 16, 6), "png"), Expect.ok());
        put(files, expect, "palette.png", TestImages.encode(TestImages.palette(23, 14), "png"), Expect.ok());
        put(files, expect, "tiny-1x1.png", TestImages.encode(TestImages.rgb(1, 1, 7), "png"), Expect.ok());
        put(files, expect, "tiny-3x2.png", TestImages.encode(TestImages.rgb(3, 2, 8), "png"), Expect.ok());
        put(files, expect, "animated.gif", TestImages.sequence("gif", List.of(TestImages.palette(16, 12), TestImages.palette(16, 12))), Expect.ok());
        put(files, expect, "multipage.tiff", TestImages.sequence("tiff", List.of(TestImages.rgb(19, 13, 9), TestImages.rgb(40, 40, 10))), Expect.ok());
        put(files, expect, "jpeg-content-named.png", jpg, Expect.ok());
        put(files, expect, "name with spaces.png", png, Expect.ok());
        put(files, expect, "ünïcødé 写真.png", TestImages.encode(TestImages.rgb(15, 21, 11), "png"), Expect.ok());
        put(files, expect, "left/same.png", TestImages.encode(TestImages.rgb(14, 12, 12), "png"), Expect.ok());
        put(files, expect, "right/same.png", TestImages.encode(TestImages.rgb(12, 14, 13), "png"), Expect.ok());
        put(files, expect, "collide.jpg", jpg, Expect.ok());
        put(files, expect, "collide.png", png, Expect.ok());
        // bad inputs
        put(files, expect, "truncated-png.png", Arrays.copyOf(png, png.length / 2), Expect.error("ImageDecodeException", "truncated-png.png: malformed or truncated"));
        put(files, expect, "truncated-jpeg.jpg", Arrays.copyOf(jpg, jpg.length / 2), Expect.error("ImageDecodeException", "truncated-jpeg.jpg: malformed or truncated"));
        put(files, expect, "truncated-tiff.tiff", Arrays.copyOf(tiff, tiff.length / 2), Expect.error("ImageDecodeException", "truncated-tiff.tiff: malformed or truncated"));
        put(files, expect, "zero-bytes.png", new byte[0], Expect.error("EmptyFile", "file is empty"));
        byte[] random = new byte[3000];
        new Random(42).nextBytes(random);
        put(files, expect, "random-bytes.png", random, Expect.error("ImageDecodeException", "not a recognised image format"));
        put(files, expect, "huge-header.png", TestImages.pngHeaderClaiming(100_000, 100_000),
                Expect.error("ImageTooLargeException", "100000x100000 exceeds input.max-pixels"));
        put(files, expect, "cmyk.jpg", TestImages.cmykJpeg(16, 16), Expect.error("UnsupportedColorModelException", "unsupported colour space CMYK"));
        put(files, expect, "notes.txt", "not an image, just text\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Expect.error("ImageDecodeException", "not a recognised image format"));
        byte[] corrupt = png.clone();
        for (int i = 60; i < corrupt.length - 20; i += 7) corrupt[i] ^= 0x5a;
        put(files, expect, "corrupt-data.png", corrupt, Expect.error("ImageDecodeException", "corrupt-data.png: malformed or truncated"));
        put(files, expect, "sub dir/vanishes.png", png, Expect.error("FileNotFoundException", "deleted after it was listed"));
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path p = in.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        return expect;
    }

    private static void put(Map<String, byte[]> files, Map<String, Expect> expect, String name, byte[] bytes, Expect e) {
        files.put(name, bytes);
        expect.put(name, e);
    }

    @Test
    void everyInputOfAMixedCorpusEndsAsExactlyOneCorrectRow(@TempDir Path in, @TempDir Path out) throws Exception {
        Map<String, Expect> expect = writeCorpus(in);
        Map<String, byte[]> before = snapshot(in);
        Path model = JobTestSupport.srModel(SCALE);
        List<String> options = new ArrayList<>(List.of("model.path=\"" + model + "\"", "input.path=\"" + FaultInjectingFileSystem.uri(in) + "\"",
                "input.glob=\"*\"", "output.path=\"" + out + "\"", "restore.tile-mode=blend", "restore.tile=16", "restore.overlap=4",
                "restore.batch-size=4", "restore.device=cpu", "partitions=3", "run-id=corpus",
                "hadoop.\"faulty.vanish-after-listing\"=vanishes.png"));
        FaultInjectingFileSystem.registration().forEach((k, v) -> options.add("hadoop.\"" + k + "\"=\"" + v + "\""));

        RunSummary run = MambairJob.run(spark, JobTestSupport.options(options.toArray(String[]::new)));

        List<Row> table = spark.read().parquet(run.imagesTable()).collectAsList();
        Map<String, Row> rows = table.stream().collect(Collectors.toMap(r -> r.<String>getAs("image_id"), r -> r, (x, y) -> x));
        ResolvedModel resolved = ResolvedModel.resolve(model);
        for (Map.Entry<String, Expect> e : expect.entrySet()) {
            String id = e.getKey();
            Row r = rows.get(id);
            assertNotNull(r, "row of " + id);
            if (e.getValue().errorClass() == null) {
                assertEquals(ImageRow.OK, r.getAs("status"), id + ": " + r.getAs("error_class") + " " + r.getAs("error_message"));
                assertRestoredLikeTheRuntime(resolved, before.get(id), Path.of(r.<String>getAs("output_uri").replaceFirst("^file:", "")), id);
            } else {
                assertEquals(ImageRow.ERROR, r.getAs("status"), id);
                assertEquals(e.getValue().errorClass(), r.getAs("error_class"), id + ": " + r.getAs("error_message"));
                String message = r.getAs("error_message");
                assertTrue(message.contains(e.getValue().messagePart()), id + ": '" + message + "' should say '" + e.getValue().messagePart() + "'");
                assertFalse(Files.exists(out.resolve(id.replaceAll("\\.\\w+$", ".png"))), "no output for " + id);
            }
        }
        long oks = expect.values().stream().filter(e -> e.errorClass() == null).count();
        assertEquals(expect.size(), run.counts().inputs(), run.text());
        assertEquals(oks, run.counts().ok(), run.text());
        assertEquals(expect.size() - oks, run.counts().error(), run.text());
        assertEquals(0, run.counts().skipped());
        assertEquals(expect.size(), table.size(), "one row per input");
        assertEquals(expect.keySet(), rows.keySet(), "every input has its row, under its own name");
        Row summary = spark.read().parquet(run.summaryTable()).first();
        assertEquals(oks, summary.<Long>getAs("ok_in_table"));
        assertEquals(expect.size() - oks, summary.<Long>getAs("error_in_table"));

        assertTrue(rows.get("collide.jpg").<String>getAs("output_uri").endsWith("/collide.jpg.png"), "colliding names keep their extension");
        assertTrue(rows.get("collide.png").<String>getAs("output_uri").endsWith("/collide.png.png"));
        assertTrue(rows.get("good-png.png").<String>getAs("output_uri").endsWith("/good-png.png"));
        assertEquals(1, rows.get("grey16.png").<Integer>getAs("channels"));
        assertEquals(16, rows.get("rgb16.png").<Integer>getAs("bit_depth"));
        assertEquals(4, rows.get("tiny-1x1.png").<Integer>getAs("out_width"));
        assertEquals(19 * SCALE, rows.get("multipage.tiff").<Integer>getAs("out_width"), "first page of a multi-page TIFF");
        assertNotNull(ImageDecoder.decode(Files.readAllBytes(out.resolve("alpha.png")), "alpha", Long.MAX_VALUE).alpha(), "alpha kept");
        try (Stream<Path> all = Files.walk(out)) {
            assertEquals(List.of(), all.filter(p -> AtomicFiles.isTemporary(p.getFileName().toString())).toList(), "no temporary files");
        }
        Map<String, byte[]> after = snapshot(in);
        before.remove("sub dir/vanishes.png");
        assertEquals(before.keySet(), after.keySet(), "inputs neither added nor removed by the job");
        for (String k : before.keySet()) assertArrayEquals(before.get(k), after.get(k), "input " + k + " untouched");
    }

    /**
     * The written image equals the runtime restoring the same decoded pixels with the same options, quantized as
     * written; a grey input is written grey ({@link ImageRestore#asInput}, tested against Real-ESRGAN's formula in udfs).
     */
    private static void assertRestoredLikeTheRuntime(ResolvedModel model, byte[] input, Path written, String id) throws Exception {
        DecodedImage lq = ImageDecoder.decode(input, id, Long.MAX_VALUE);
        PlanarImage color = lq.color().channels() == 3 ? lq.color() : threeEqualPlanes(lq.color());
        PlanarImage restored = SharedRuntime.get(model, Device.cpu()).restore(color, OPTIONS);
        PlanarImage expected = Quantizer.quantize(ImageRestore.asInput(lq.color(), restored), lq.bitDepth() > 8 ? 16 : 8);
        assertTrue(Files.exists(written), id + " written to " + written);
        DecodedImage actual = ImageDecoder.decode(Files.readAllBytes(written), id, Long.MAX_VALUE);
        assertEquals(lq.width() * SCALE, actual.width(), id);
        assertEquals(lq.height() * SCALE, actual.height(), id);
        assertEquals(lq.bitDepth() > 8 ? 16 : 8, actual.bitDepth(), id);
        assertArrayEquals(expected.data(), actual.color().data(), 0f, id);
    }

    private static PlanarImage threeEqualPlanes(PlanarImage grey) {
        int n = grey.height() * grey.width();
        float[] d = new float[3 * n];
        for (int c = 0; c < 3; c++) System.arraycopy(grey.data(), 0, d, c * n, n);
        return new PlanarImage(3, grey.height(), grey.width(), d);
    }

    private static Map<String, byte[]> snapshot(Path root) throws Exception {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) m.put(root.relativize(p).toString(), Files.readAllBytes(p));
        }
        return m;
    }
}
