package io.mambair.job.reliability;

import io.mambair.runtime.testing.Slow;
import io.mambair.runtime.testing.TestRequirements;
import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.job.RunSummary;
import io.mambair.job.config.InvalidConfigException;
import io.mambair.job.output.ImageRow;
import io.mambair.job.output.ImagesTable;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.udfs.codec.ImageDecoder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runs issue 13 found destroying or misreporting data, on the local file system and on s3a://
 * (S3Mock in its own process): an output equal to or inside the input is refused before anything is
 * written (inputs byte-identical, nothing re-ingested); a rerun with another model recomputes every
 * image with that model and keeps the earlier run's rows; a run where every image fails exits 3 with
 * its tables written and the failing files on the console; a preset of another scale is refused.
 */
@Slow
class RunSafetyJobTest {
    private static final String BUCKET = "safety";
    private static SparkSession spark;
    private static S3MockServer s3;
    private static File s3Root;
    @TempDir
    static java.nio.file.Path local;

    @BeforeAll
    static void start() throws Exception {
        spark = JobTestSupport.localSpark();
        String jar = System.getProperty("mambair.s3mock.jar");
        if (jar != null && new File(jar).isFile()) {
            s3Root = Files.createDirectories(local.resolve("s3")).toFile();
            s3 = new S3MockServer(jar, s3Root, BUCKET);
            s3.start();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (spark != null) spark.stop();
        if (s3 != null) s3.close();
    }

    /** A fresh folder on the storage and the job options that reach it. */
    private record Storage(String root, Configuration conf, List<String> options) {
        FileSystem fs() throws Exception { return new Path(root).getFileSystem(conf); }
    }

    private static Storage storage(String kind) throws Exception {
        if (kind.equals("local")) {
            return new Storage(Files.createTempDirectory(local, "run").toString(), new Configuration(), List.of());
        }
        TestRequirements.require(s3 != null, "S3Mock jar not fetched (run through Maven)");
        Map<String, String> client = Map.of("fs.s3a.endpoint", s3.endpoint(), "fs.s3a.path.style.access", "true",
                "fs.s3a.access.key", "test", "fs.s3a.secret.key", "test", "fs.s3a.connection.ssl.enabled", "false",
                "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        Configuration conf = new Configuration();
        client.forEach(conf::set);
        List<String> options = new ArrayList<>();
        client.forEach((k, v) -> options.add("hadoop.\"" + k + "\"=\"" + v + "\""));
        return new Storage("s3a://" + BUCKET + "/" + UUID.randomUUID(), conf, options);
    }

    private static void put(Storage st, String relative, byte[] bytes) throws Exception {
        try (FSDataOutputStream out = st.fs().create(new Path(st.root() + "/" + relative), true)) {
            out.write(bytes);
        }
    }

    private static void writeImages(Storage st, String folder, int n) throws Exception {
        for (int i = 0; i < n; i++) put(st, folder + "/img" + i + ".png", TestImages.encode(TestImages.rgb(24, 20, i), "png"));
    }

    /** Every file under {@code folder} with the sha256 of its bytes. */
    private static Map<String, String> contents(Storage st, String folder) throws Exception {
        Map<String, String> out = new TreeMap<>();
        FileSystem fs = st.fs();
        Path root = new Path(st.root() + "/" + folder);
        if (!fs.exists(root)) return out;
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            Path p = it.next().getPath();
            try (FSDataInputStream in = fs.open(p)) {
                out.put(p.toUri().getPath(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
            }
        }
        return out;
    }

    private static RunSummary run(Storage st, String runId, int scale, String... extra) throws Exception {
        List<String> o = new ArrayList<>(List.of("model.path=\"" + JobTestSupport.srModel(scale) + "\"", "restore.tile-mode=whole",
                "restore.device=cpu", "partitions=2", "run-id=" + runId));
        o.addAll(st.options());
        o.addAll(List.of(extra));
        return MambairJob.run(spark, JobTestSupport.options(o.toArray(String[]::new)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3a"})
    void outputsOrTablesEqualToOrInsideTheInputAreRefusedBeforeAnythingIsWritten(String kind) throws Exception {
        Storage st = storage(kind);
        writeImages(st, "in", 3);
        Map<String, String> before = contents(st, "in");
        String in = st.root() + "/in";
        for (String[] layout : List.of(new String[] {"output.path=\"" + in + "\""},
                new String[] {"output.path=\"" + in + "/\""},
                new String[] {"output.path=\"" + in + "/restored\""},
                new String[] {"output.path=\"" + st.root() + "/out\"", "output.tables-path=\"" + in + "/tables\""})) {
            List<String> args = new ArrayList<>(List.of("input.path=\"" + in + "\""));
            args.addAll(List.of(layout));
            InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> run(st, "refused", 4, args.toArray(String[]::new)),
                    String.join(" ", layout));
            assertEquals(1, e.problems().size(), e.getMessage());
            assertTrue(e.problems().get(0).contains("inputs are never written") && e.problems().get(0).contains("input.path "
                    + (kind.equals("local") ? "file:" + new File(in).getCanonicalPath() : in)), e.getMessage());
            assertEquals(before, contents(st, "in"), "inputs byte-identical, nothing added under the input: " + String.join(" ", layout));
        }
        assertFalse(st.fs().exists(new Path(st.root() + "/out")), "a refused run writes nothing");

        // The layout that is allowed, twice: the second run lists only the 3 inputs, never its own outputs.
        RunSummary first = run(st, "a", 4, "input.path=\"" + in + "\"", "output.path=\"" + st.root() + "/out\"");
        RunSummary second = run(st, "b", 4, "input.path=\"" + in + "\"", "output.path=\"" + st.root() + "/out\"");
        assertEquals(3, first.counts().ok(), first.text());
        assertEquals(3, second.counts().inputs(), second.text());
        assertEquals(3, second.counts().skipped(), "same model and settings: nothing redone");
        assertEquals(before, contents(st, "in"));
        for (Row r : ImagesTable.read(spark, first.imagesTable()).collectAsList()) {
            String uri = r.getAs("output_uri");
            assertTrue(uri.startsWith(kind.equals("local") ? "file:/" : "s3a://" + BUCKET + "/"), "qualified output URI " + uri);
            assertTrue(st.fs().exists(new Path(uri)), uri);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3a"})
    void anotherModelIntoTheSameOutputRecomputesEveryImageAndKeepsTheEarlierRunsRows(String kind) throws Exception {
        Storage st = storage(kind);
        writeImages(st, "in", 3);
        String[] paths = {"input.path=\"" + st.root() + "/in\"", "output.path=\"" + st.root() + "/out\""};
        String x2 = ResolvedModel.resolve(JobTestSupport.srModel(2)).sha256();
        String x4 = ResolvedModel.resolve(JobTestSupport.srModel(4)).sha256();
        assertNotEquals(x2, x4);

        RunSummary a = run(st, "x2-run", 2, paths);
        assertEquals(3, a.counts().ok(), a.text());
        RunSummary b = run(st, "x4-run", 4, paths);
        assertEquals(3, b.counts().ok(), "every image redone with the other model: " + b.text());
        assertEquals(0, b.counts().skipped());
        FileSystem fs = st.fs();
        List<Row> all = ImagesTable.read(spark, b.imagesTable()).collectAsList();
        assertEquals(6, all.size(), "both runs' rows are kept");
        for (Row r : all) {
            boolean isB = r.getAs("run_id").equals("x4-run");
            assertEquals(isB ? x4 : x2, r.getAs("model_sha256"));
            assertEquals(isB ? 4 : 2, r.<Integer>getAs("scale"));
            assertEquals(isB ? 96 : 48, r.<Integer>getAs("out_width"));
        }
        for (int i = 0; i < 3; i++) {
            try (FSDataInputStream in = fs.open(new Path(st.root() + "/out/img" + i + ".png"))) {
                assertEquals(96, ImageDecoder.decode(in.readAllBytes(), "img" + i, Long.MAX_VALUE).width(), "output replaced by the x4 model's");
            }
        }
        ImagesTable.read(spark, b.imagesTable()).createOrReplaceTempView("images");
        List<Row> newest = spark.sql(ImagesTable.NEWEST_PER_IMAGE_SQL).collectAsList();
        assertEquals(3, newest.size());
        for (Row r : newest) assertEquals(List.of("x4-run", x4), List.of(r.getAs("run_id"), r.getAs("model_sha256")));
        Row summaryB = spark.read().parquet(b.summaryTable() + "/run_id=x4-run").first();
        assertEquals(x4, summaryB.getAs("model_sha256"));

        // The same model again: everything skipped, and the summary still describes the model that produced the rows.
        RunSummary c = run(st, "x4-again", 4, paths);
        assertEquals(3, c.counts().skipped(), c.text());
        List<Row> summaryC = spark.read().parquet(c.summaryTable() + "/run_id=x4-again").collectAsList();
        assertEquals(1, summaryC.size());
        assertEquals(x4, summaryC.get(0).getAs("model_sha256"));
        assertEquals(3L, ((Number) summaryC.get(0).getAs("ok_in_table")).longValue());
        assertEquals(6, ImagesTable.read(spark, c.imagesTable()).count(), "a run that redid nothing adds no rows");
        // The x2 model once more: its own earlier rows are not the newest any more, so everything is redone.
        RunSummary d = run(st, "x2-again", 2, paths);
        assertEquals(3, d.counts().ok(), d.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3a"})
    void aRunWhereEveryImageFailsExitsThreeWithItsTablesAndNamesTheFailingFiles(String kind) throws Exception {
        Storage st = storage(kind);
        for (int i = 0; i < 12; i++) put(st, "in/broken" + String.format("%02d", i) + ".png", "not an image".getBytes(StandardCharsets.UTF_8));
        Map<String, String> before = contents(st, "in");
        List<String> args = new ArrayList<>(List.of("--set", "model.path=\"" + JobTestSupport.srModel(4) + "\"", "--set",
                "input.path=\"" + st.root() + "/in\"", "--set", "output.path=\"" + st.root() + "/out\"", "--set", "restore.device=cpu",
                "--set", "run-id=all-fail"));
        for (String o : st.options()) args.addAll(List.of("--set", o));
        PrintStream stdout = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            status = new picocli.CommandLine(new MambairJob()).execute(args.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
        }
        String text = console.toString(StandardCharsets.UTF_8);
        assertEquals(3, status, text);
        assertTrue(text.contains("failed images: 12 (ImageDecodeException 12); the first 10:"), text);
        for (int i = 0; i < 10; i++) assertTrue(text.contains("    broken" + String.format("%02d", i) + ".png  ImageDecodeException: "), text);
        assertFalse(text.contains("broken10.png"), "only the first ten are named");
        assertTrue(text.contains("mambair run all-fail FAILED: every image failed (12 of 12)"), text);
        List<Row> rows = ImagesTable.read(spark, st.root() + "/out/_mambair/images").collectAsList();
        assertEquals(12, rows.size(), "the tables are written");
        for (Row r : rows) assertEquals(ImageRow.ERROR, r.getAs("status"));
        assertEquals(before, contents(st, "in"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3a"})
    void aPresetOfAnotherScaleIsRefusedNamingBothBeforeAnythingIsWritten(String kind) throws Exception {
        Storage st = storage(kind);
        writeImages(st, "in", 2);
        List<String> args = new ArrayList<>(List.of("--preset", "light_sr_x4", "--set", "mode=enhance",
                "--set", "model.path=\"" + JobTestSupport.srModel(2) + "\"", "--set", "input.path=\"" + st.root() + "/in\"",
                "--set", "output.path=\"" + st.root() + "/out\"", "--set", "restore.device=cpu"));
        for (String o : st.options()) args.addAll(List.of("--set", o));
        PrintStream stderr = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
            status = new picocli.CommandLine(new MambairJob()).execute(args.toArray(String[]::new));
        } finally {
            System.setErr(stderr);
        }
        String text = console.toString(StandardCharsets.UTF_8);
        assertEquals(2, status, text);
        assertTrue(text.contains("model.scale = 4 (") && text.contains("light_sr_x4.conf") && text.contains("is a x2 model"), text);
        assertFalse(st.fs().exists(new Path(st.root() + "/out")), "nothing written");
        assertEquals(List.of("img0.png", "img1.png"), contents(st, "in").keySet().stream()
                .map(p -> p.substring(p.lastIndexOf('/') + 1)).collect(Collectors.toList()));
    }
}
