package io.mambair.job.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mambair.job.JobOptions;
import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.job.RepositoryFiles;
import io.mambair.job.RunSummary;
import io.mambair.runtime.arch.ModelConfig;
import io.mambair.runtime.testing.DebianNumpy;
import io.mambair.runtime.testing.SharedData;
import org.apache.spark.sql.Dataset;
import io.mambair.runtime.testing.Slow;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notebooks are valid nbformat 4, and every SQL query they hold runs against the tables of a real
 * job run (local[2], Set5 x2 with the MATLAB LR files and one corrupt input), giving what the tables
 * and the reference data say it must; its plot code then draws every figure from those results.
 */
@Slow
class NotebookQueriesTest {
    private static final Path NOTEBOOK = RepositoryFiles.resolve("notebooks/mambair_run_analysis.ipynb");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void everyNotebookIsNbformat4WithoutStoredOutputs() throws Exception {
        List<Path> notebooks = RepositoryFiles.filesUnder("notebooks").stream().filter(p -> p.toString().endsWith(".ipynb")).toList();
        assertFalse(notebooks.isEmpty());
        for (Path p : notebooks) {
            JsonNode nb = new NotebookSql(p).notebook;
            assertEquals(4, nb.get("nbformat").asInt(), p.toString());
            assertTrue(nb.get("nbformat_minor").asInt() >= 4, p.toString());
            assertEquals("python", nb.get("metadata").get("kernelspec").get("language").asText("python"));
            Set<String> ids = new HashSet<>();
            for (JsonNode cell : nb.get("cells")) {
                String type = cell.get("cell_type").asText();
                assertTrue(Set.of("markdown", "code", "raw").contains(type), type);
                assertTrue(cell.get("metadata").isObject(), "every cell has metadata");
                assertTrue(cell.get("source").isTextual() || cell.get("source").isArray());
                if (nb.get("nbformat_minor").asInt() >= 5) assertTrue(ids.add(cell.get("id").asText()), "cell ids are unique");
                if (type.equals("code")) {
                    assertTrue(cell.get("outputs").isArray() && cell.get("outputs").isEmpty(), "no stored outputs in " + p);
                    assertTrue(cell.has("execution_count"));
                }
            }
        }
    }

    @Test
    void everyQueryRunsAgainstTheTablesOfARealRun(@TempDir Path in, @TempDir Path out) throws Exception {
        NotebookSql notebook = new NotebookSql(NOTEBOOK);
        List<String> queries = notebook.queries();
        assertEquals(notebook.sqlCalls(), queries.size(), "every spark.sql call holds one literal \"\"\"query\"\"\"");
        assertTrue(queries.size() >= 9, queries.size() + " queries");
        for (String q : queries) assertFalse(q.contains("{") || q.contains("}"), "queries are parameterised only by view names: " + q);
        Map<String, String> views = notebook.parquetViews();
        assertEquals(Set.of("images", "summary"), views.keySet());

        Path lr = SharedData.require("data/benchmarks/Set5/LR_bicubic/X2");
        Path hr = SharedData.require("data/benchmarks/Set5/HR");
        try (Stream<Path> files = Files.list(lr)) {
            for (Path p : files.toList()) Files.copy(p, in.resolve(p.getFileName()));
        }
        byte[] png = Files.readAllBytes(lr.resolve("birdx2.png"));
        Files.write(in.resolve("brokenx2.png"), Arrays.copyOf(png, png.length / 3));

        SparkSession spark = JobTestSupport.localSpark();
        try {
            RunSummary run = MambairJob.run(spark, new JobOptions(null, "light_sr_x2", List.of(
                    "model.path=\"" + JobTestSupport.srModel(2) + "\"", "input.path=\"" + in + "\"",
                    "benchmark.reference-path=\"" + hr + "\"", "output.path=\"" + out + "\"",
                    "dataset=Set5", "restore.device=cpu", "restore.tile-mode=whole", "run-id=notebook")));
            assertEquals(5, run.counts().ok(), run.text());
            assertEquals(1, run.counts().error(), run.text());
            // an older row for every image (as a resumed or repeated image leaves): the notebook must keep the newest
            List<Row> older = spark.read().parquet(run.imagesTable())
                    .withColumn("finished_at", org.apache.spark.sql.functions.expr("finished_at - INTERVAL 1 DAY"))
                    .withColumn("psnr_y", org.apache.spark.sql.functions.lit(-1000.0)).collectAsList();
            // into the run's own partition (images/run_id=notebook/), where a resumed run adds the rows it skipped
            spark.createDataFrame(older, spark.read().parquet(run.imagesTable()).schema()).write().mode("append").partitionBy("run_id")
                    .parquet(run.imagesTable());
            assertEquals(12L, spark.read().parquet(run.imagesTable()).count());
            spark.read().parquet(run.imagesTable()).createOrReplaceTempView(views.get("images"));
            spark.read().parquet(run.summaryTable()).createOrReplaceTempView(views.get("summary"));

            List<List<Row>> results = new ArrayList<>();
            ObjectNode exported = MAPPER.createObjectNode();
            for (String q : queries) {
                Dataset<Row> df = spark.sql(q);
                results.add(df.collectAsList());
                ObjectNode result = exported.putObject(q);
                ArrayNode columns = result.putArray("columns");
                for (String c : df.columns()) columns.add(c);
                ArrayNode rows = result.putArray("rows");
                for (String json : df.toJSON().collectAsList()) rows.add(MAPPER.readTree(json));
            }
            renderFigures(exported, Path.of("target/notebook-figures"));

            List<Row> perDataset = results.get(indexOf(queries, "LEFT JOIN mambair_published"));
            assertEquals(1, perDataset.size(), perDataset.toString());
            Row set5 = perDataset.get(0);
            assertEquals("Set5", set5.getAs("dataset"));
            assertEquals("light_sr", set5.getAs("task"));
            assertEquals(5L, ((Number) set5.getAs("images")).longValue());
            assertEquals(33.6734, ((Number) set5.getAs("bicubic_reference_psnr_y")).doubleValue(), 1e-9);
            assertEquals(33.6734, ((Number) set5.getAs("baseline_psnr_y")).doubleValue(), 1e-4,
                    "the job's bicubic baseline joins with the BasicSR-convention reference and equals it");
            assertEquals(38.16, ((Number) set5.getAs("published_psnr")).doubleValue(), 1e-9, "light SR x2 on Set5 has its published row");
            assertEquals("Y", set5.getAs("channel"));
            assertEquals(((Number) set5.getAs("psnr_y")).doubleValue(), ((Number) set5.getAs("measured_psnr")).doubleValue(), 1e-9,
                    "SR is measured on Y");

            List<Row> gains = results.get(indexOf(queries, "AS gain_ssim_y"));
            assertEquals(5, gains.size(), "one row per image: the newest");
            for (Row g : gains) assertTrue(((Number) g.getAs("gain_psnr_y")).doubleValue() > -500, "the newest row, not the older one: " + g);
            List<Row> spread = results.get(indexOf(queries, "percentile_approx"));
            assertEquals(5L, ((Number) spread.get(0).getAs("images")).longValue());

            List<Row> worst = results.get(indexOf(queries, "LIMIT 20"));
            assertEquals(5, worst.size());
            for (int i = 1; i < worst.size(); i++) {
                assertTrue(worst.get(i - 1).<Double>getAs("gain_psnr_y") <= worst.get(i).<Double>getAs("gain_psnr_y"), "ascending gain");
            }
            for (Row r : worst) {
                String uri = r.getAs("output_uri");
                // as the notebook reads it: the URI as it is, through Spark
                assertTrue(spark.read().format("binaryFile").load(uri).count() == 1, "the link leads to the restored image: " + r);
            }

            List<Row> errors = results.get(indexOf(queries, "status = 'error'"));
            assertEquals(1, errors.size(), errors.toString());
            assertEquals("brokenx2.png", errors.get(0).getAs("example"));
            assertEquals(1L, ((Number) errors.get(0).getAs("images")).longValue());

            List<Row> perExecutor = results.get(indexOf(queries, "unix_millis"));
            assertEquals(1, perExecutor.size(), "local mode: one executor, the driver");
            Row driver = perExecutor.get(0);
            assertEquals("driver", driver.getAs("executor_id"));
            assertEquals(5L, ((Number) driver.getAs("images")).longValue());
            assertEquals(hrMegapixels(hr), ((Number) driver.getAs("megapixels")).doubleValue(), 1e-9, "output pixels = the HR images'");
            assertTrue(((Number) driver.getAs("mp_per_s")).doubleValue() > 0);

            List<Row> perRun = results.get(indexOf(queries, "megapixels_per_second"));
            assertEquals(1, perRun.size());
            assertEquals(6L, ((Number) perRun.get(0).getAs("inputs")).longValue());
            assertEquals(1L, ((Number) perRun.get(0).getAs("error")).longValue());

            Set<String> tasks = spark.sql("SELECT DISTINCT task FROM mambair_published").collectAsList().stream()
                    .map(r -> r.getString(0)).collect(Collectors.toSet());
            Set<String> valid = Arrays.stream(ModelConfig.Task.values()).map(ModelConfig.Task::id).collect(Collectors.toSet());
            assertTrue(valid.containsAll(tasks), "published rows use the job's task ids " + valid + ": " + tasks);
            Set<String> conventions = spark.sql("SELECT task FROM mambair_conventions").collectAsList().stream()
                    .map(r -> r.getString(0)).collect(Collectors.toSet());
            assertEquals(valid, conventions, "every task has its channel");
            // every official SR model on every SR test set, colour denoising at every sigma, CAR at every quality
            for (String task : List.of("classic_sr", "light_sr")) {
                for (int scale = 2; scale <= 4; scale++) {
                    for (String set : List.of("Set5", "Set14", "B100", "Urban100", "Manga109")) {
                        assertEquals(1L, spark.sql("SELECT * FROM mambair_published WHERE task = '" + task + "' AND scale = " + scale
                                + " AND dataset = '" + set + "' AND channel = 'Y' AND ssim IS NOT NULL").count(), task + " x" + scale + " " + set);
                    }
                }
            }
            assertEquals(12L, spark.sql("SELECT * FROM mambair_published WHERE task = 'color_dn' AND channel = 'RGB'").count());
            assertEquals(6L, spark.sql("SELECT * FROM mambair_published WHERE task = 'gray_dn_or_car' AND channel = 'grey'").count());
        } finally {
            spark.stop();
        }
    }

    /**
     * The notebook's code cells run headless ({@code job/src/test/python/render_notebook_figures.py}, Debian's
     * matplotlib and pandas) on these query results: every figure it shows is drawn and is not blank.
     */
    private static void renderFigures(ObjectNode exported, Path figures) throws Exception {
        Files.createDirectories(figures);
        Path results = Files.writeString(figures.resolve("results.json"), MAPPER.writeValueAsString(exported));
        String script = Files.readString(RepositoryFiles.resolve("job/src/test/python/render_notebook_figures.py"));
        String out = DebianNumpy.run(script, NOTEBOOK.toString(), results.toString(), figures.toString());
        assertEquals("4", out.strip().lines().reduce((a, b) -> b).orElse(""), "figures shown: per dataset, gains, worst images, throughput\n" + out);
        for (int i = 0; i < 4; i++) {
            BufferedImage figure = ImageIO.read(figures.resolve("figure" + i + ".png").toFile());
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < figure.getHeight(); y += 3) for (int x = 0; x < figure.getWidth(); x += 3) colours.add(figure.getRGB(x, y));
            assertTrue(colours.size() > 3, "figure " + i + " is drawn, not blank");
        }
    }

    private static int indexOf(List<String> queries, String marker) {
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) if (queries.get(i).contains(marker)) hits.add(i);
        assertEquals(1, hits.size(), "one query contains " + marker);
        return hits.get(0);
    }

    /** Output megapixels of a Set5 x2 run, from the HR files (all sizes are multiples of 2), rounded as the query rounds. */
    private static double hrMegapixels(Path hr) throws Exception {
        long pixels = 0;
        try (Stream<Path> files = Files.list(hr)) {
            for (Path p : files.toList()) {
                BufferedImage img = ImageIO.read(p.toFile());
                pixels += (long) img.getWidth() * img.getHeight();
            }
        }
        return Math.round(pixels / 1e3) / 1e3;
    }
}
