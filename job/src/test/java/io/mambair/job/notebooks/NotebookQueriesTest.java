package io.mambair.job.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.mambair.job.JobOptions;
import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.job.RepositoryFiles;
import io.mambair.job.RunSummary;
import io.mambair.runtime.arch.ModelConfig;
import io.mambair.runtime.testing.SharedData;
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
 * and the reference data say it must.
 */
@Slow
class NotebookQueriesTest {
    private static final Path NOTEBOOK = RepositoryFiles.resolve("notebooks/mambair_run_analysis.ipynb");

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
            spark.read().parquet(run.imagesTable()).createOrReplaceTempView(views.get("images"));
            spark.read().parquet(run.summaryTable()).createOrReplaceTempView(views.get("summary"));

            List<List<Row>> results = new ArrayList<>();
            for (String q : queries) results.add(spark.sql(q).collectAsList());

            List<Row> perDataset = results.get(indexOf(queries, "LEFT JOIN mambair_published"));
            assertEquals(1, perDataset.size(), perDataset.toString());
            Row set5 = perDataset.get(0);
            assertEquals("Set5", set5.getAs("dataset"));
            assertEquals("light_sr", set5.getAs("task"));
            assertEquals(5L, ((Number) set5.getAs("images")).longValue());
            assertEquals(33.6734, ((Number) set5.getAs("bicubic_reference_psnr_y")).doubleValue(), 1e-9);
            assertEquals(33.6734, ((Number) set5.getAs("baseline_psnr_y")).doubleValue(), 1e-4,
                    "the job's bicubic baseline joins with the BasicSR-convention reference and equals it");

            List<Row> gains = results.get(indexOf(queries, "AS gain_ssim_y"));
            assertEquals(5, gains.size());
            List<Row> spread = results.get(indexOf(queries, "percentile_approx"));
            assertEquals(5L, ((Number) spread.get(0).getAs("images")).longValue());

            List<Row> worst = results.get(indexOf(queries, "LIMIT 20"));
            assertEquals(5, worst.size());
            for (int i = 1; i < worst.size(); i++) {
                assertTrue(worst.get(i - 1).<Double>getAs("gain_psnr_y") <= worst.get(i).<Double>getAs("gain_psnr_y"), "ascending gain");
            }
            for (Row r : worst) {
                Path output = Path.of(new org.apache.hadoop.fs.Path(r.<String>getAs("output_uri")).toUri().getPath());
                assertTrue(Files.isRegularFile(output), "the link leads to the restored image: " + r);
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
        } finally {
            spark.stop();
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
