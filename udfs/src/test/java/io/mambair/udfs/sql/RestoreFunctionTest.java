package io.mambair.udfs.sql;

import io.mambair.runtime.testing.SharedData;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageFiles;
import io.mambair.udfs.restore.ModelCache;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code restore} SQL function over a binaryFile table reproduces the official fixture output. */
class RestoreFunctionTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("RestoreFunctionTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        MambairFunctions.register(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void restoreBySqlGivesTheOfficialOutputWithOneSessionForAllRows() throws Exception {
        Path dir = SharedData.fixture("light_sr_x4");
        spark.read().format("binaryFile").load(dir.resolve("input.png").toString(), dir.resolve("input.png").toString())
                .createOrReplaceTempView("inputs");
        int before = ModelCache.shared().sessionsBuilt();
        List<Row> rows = spark.sql("SELECT restore(content, '" + dir.resolve("model.pth")
                + "', 'tile_mode=whole,device=cpu,format=png') AS out FROM inputs").collectAsList();
        assertEquals(2, rows.size());
        assertTrue(ModelCache.shared().sessionsBuilt() - before <= 1, "at most one new session in this JVM");
        DecodedImage expected = ImageFiles.read(dir.resolve("output.png"), Long.MAX_VALUE);
        for (Row r : rows) {
            DecodedImage actual = ImageFiles.decode(r.getAs("out"), "out", Long.MAX_VALUE);
            float[] e = expected.color().data();
            float[] a = actual.color().data();
            assertEquals(e.length, a.length);
            int worst = 0;
            for (int i = 0; i < e.length; i++) worst = Math.max(worst, Math.round(Math.abs(e[i] - a[i]) * 255));
            assertTrue(worst <= 1, worst + " grey levels off");
        }
    }

    @Test
    void nullImageGivesNullAndUnknownOptionsFailClearly() {
        Path model = SharedData.fixture("light_sr_x4").resolve("model.pth");
        assertNull(spark.sql("SELECT restore(CAST(NULL AS BINARY), '" + model + "', '')").first().get(0));
        Exception e = assertThrows(Exception.class, () ->
                spark.sql("SELECT restore(X'00', '" + model + "', 'colour=blue')").collectAsList());
        assertTrue(String.valueOf(e.getMessage()).contains("unknown restore option"), e.getMessage());
    }

    @Test
    void tryRestoreGivesTheImageOrItsErrorAndMapOptionsEqualStringOptions() throws Exception {
        Path dir = SharedData.fixture("light_sr_x4");
        Path model = dir.resolve("model.pth");
        spark.read().format("binaryFile").load(dir.resolve("input.png").toString()).createOrReplaceTempView("good");
        Row r = spark.sql("SELECT restore(content, '" + model + "', 'tile_mode=whole,device=cpu') AS s,"
                + " restore(content, '" + model + "', map('tile_mode', 'whole', 'device', 'cpu')) AS m,"
                + " try_restore(content, '" + model + "', 'tile_mode=whole,device=cpu') AS t FROM good").first();
        byte[] byString = r.getAs("s");
        assertArrayEquals(byString, (byte[]) r.getAs("m"), "a map of options restores as the same string does");
        Row tried = r.getAs("t");
        assertArrayEquals(byString, (byte[]) tried.getAs("image"));
        assertNull(tried.getAs("error"));

        Row corrupt = spark.sql("SELECT try_restore(X'89504E470D0A1A0A0000', '" + model + "', map('device', 'cpu')) AS t").first().getAs("t");
        assertNull(corrupt.getAs("image"));
        Row error = corrupt.getAs("error");
        assertEquals("ImageDecodeException", error.getAs("error_class"));
        assertTrue(!((String) error.getAs("message")).isBlank());
        assertNull(spark.sql("SELECT try_restore(CAST(NULL AS BINARY), '" + model + "', '')").first().get(0));

        Exception e = assertThrows(Exception.class, () ->
                spark.sql("SELECT try_restore(X'00', '" + model + "', 'self_ensemble=ture')").collectAsList());
        assertTrue(String.valueOf(e.getMessage()).contains("restore option self_ensemble = 'ture' is invalid"), "bad options still fail the query: " + e.getMessage());
    }
}
