package io.mambair.udfs.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mambair.runtime.testing.SharedData;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SQL functions, registered with {@link MambairFunctions#register}, queried over binaryFile tables. */
class MambairFunctionsTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("MambairFunctionsTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config(MambairFunctions.MAX_PIXELS_CONF, "1000000").getOrCreate();
        MambairFunctions.register(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @ParameterizedTest
    @CsvSource({"2, 33.6734, 0.930287", "3, 30.4033, 0.868906", "4, 28.4290, 0.811135"})
    void set5BicubicBaselineBySqlMatchesTheVerifiedValues(int scale, double psnr, double ssim) {
        Path set5 = SharedData.require("data/benchmarks/Set5");
        spark.read().format("binaryFile").load(set5.resolve("HR").toString()).createOrReplaceTempView("hr");
        spark.read().format("binaryFile").load(set5.resolve("LR_bicubic/X" + scale).toString()).createOrReplaceTempView("lr");
        Row row = spark.sql("SELECT count(*) AS n, avg(q.psnr) AS psnr, avg(q.ssim) AS ssim FROM ("
                + " SELECT bicubic_baseline(hr.content, lr.content, " + scale + ", true) AS q FROM hr JOIN lr"
                + " ON regexp_extract(hr.path, '([^/]+)\\\\.png$', 1) || 'x" + scale + "' = regexp_extract(lr.path, '([^/]+)\\\\.png$', 1))").first();
        assertEquals(5L, row.getLong(0));
        assertEquals(psnr, row.getDouble(1), 1e-3);
        assertEquals(ssim, row.getDouble(2), 1e-5);
    }

    @Test
    void psnrAndSsimBySqlMatchTheOfficialFixtureValues() throws IOException {
        Path dir = SharedData.fixture("protocol_light_sr_x2_tiled");
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("config.json").toFile()).get("metrics");
        spark.read().format("binaryFile").load(dir.toString()).createOrReplaceTempView("fixture");
        Row row = spark.sql("SELECT psnr(gt.content, out.content, 2, true), ssim(gt.content, out.content, 2, true),"
                + " psnr(gt.content, out.content, 2, false)"
                + " FROM fixture gt JOIN fixture out ON gt.path LIKE '%/gt.png' AND out.path LIKE '%/output.npy'").first();
        assertEquals(metrics.get("psnr_tiled_output_vs_gt").asDouble(), row.getDouble(0), 1e-6);
        assertEquals(metrics.get("ssim_tiled_output_vs_gt").asDouble(), row.getDouble(1), 1e-6);
        assertEquals(metrics.get("psnr_tiled_rgb_crop_scale").asDouble(), row.getDouble(2), 1e-6);
    }

    @Test
    void imageInfoReadsTheHeaders() {
        Path set5 = SharedData.require("data/benchmarks/Set5");
        spark.read().format("binaryFile").load(set5.resolve("LR_bicubic/X3").toString()).createOrReplaceTempView("x3");
        List<Row> rows = spark.sql("SELECT regexp_extract(path, '([^/]+)$', 1) AS name, image_info(content) AS i FROM x3 ORDER BY name").collectAsList();
        assertEquals(5, rows.size());
        assertEquals("babyx3.png", rows.get(0).getString(0));
        Row baby = rows.get(0).getStruct(1);
        assertEquals(170, baby.getInt(baby.fieldIndex("width")));
        assertEquals(170, baby.getInt(baby.fieldIndex("height")));
        assertEquals(3, baby.getInt(baby.fieldIndex("channels")));
        assertEquals(false, baby.getBoolean(baby.fieldIndex("has_alpha")));
        assertEquals(8, baby.getInt(baby.fieldIndex("bit_depth")));
        assertEquals("png", baby.getString(baby.fieldIndex("format")));
        Row woman = rows.get(4).getStruct(1);
        assertEquals(76, woman.getInt(woman.fieldIndex("width")));
        assertEquals(114, woman.getInt(woman.fieldIndex("height")));
    }

    @Test
    void nullGivesNullAndAnUndecodableImageFailsWithItsReason() {
        assertNull(spark.sql("SELECT psnr(NULL, X'00', 0, true)").first().get(0));
        Exception e = assertThrows(Exception.class, () -> spark.sql("SELECT image_info(X'0102030405')").collect());
        assertTrue(rootMessage(e).contains("not a recognised image format"), rootMessage(e));
    }

    @Test
    void thePixelBoundComesFromTheSessionConfiguration() {
        Path set5 = SharedData.require("data/benchmarks/Set5");
        spark.read().format("binaryFile").load(set5.resolve("HR").toString()).createOrReplaceTempView("hr_big");
        spark.conf().set(MambairFunctions.MAX_PIXELS_CONF, "100000");
        try {
            MambairFunctions.register(spark);
            Exception e = assertThrows(Exception.class, () -> spark.sql("SELECT psnr(content, content, 0, true) FROM hr_big").collect());
            assertTrue(rootMessage(e).contains("exceeds the limit of 100000 pixels"), rootMessage(e));
        } finally {
            spark.conf().set(MambairFunctions.MAX_PIXELS_CONF, "1000000");
            MambairFunctions.register(spark);
        }
    }

    static String rootMessage(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) all.append(t.getMessage()).append(" | ");
        return all.toString();
    }
}
