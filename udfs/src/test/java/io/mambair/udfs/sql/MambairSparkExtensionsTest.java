package io.mambair.udfs.sql;

import io.mambair.runtime.testing.SharedData;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The functions are available without any registration call when the extension is configured. */
class MambairSparkExtensionsTest {

    @Test
    void functionsAreBuiltInThroughSparkSqlExtensions() {
        Path set5 = SharedData.require("data/benchmarks/Set5");
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        SparkSession spark = SparkSession.builder().master("local[2]").appName("MambairSparkExtensionsTest")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.extensions", MambairSparkExtensions.class.getName()).getOrCreate();
        try {
            spark.read().format("binaryFile").load(set5.resolve("HR").toString()).createOrReplaceTempView("hr");
            spark.read().format("binaryFile").load(set5.resolve("LR_bicubic/X4").toString()).createOrReplaceTempView("lr");
            Row row = spark.sql("SELECT avg(bicubic_baseline(hr.content, lr.content, 4, true).psnr), max(image_info(hr.content).width)"
                    + " FROM hr JOIN lr ON regexp_extract(hr.path, '([^/]+)\\\\.png$', 1) || 'x4' = regexp_extract(lr.path, '([^/]+)\\\\.png$', 1)").first();
            assertEquals(28.4290, row.getDouble(0), 1e-3);
            assertEquals(512, row.getInt(1));

            // Literal options are validated while the query is analysed, before any row is read.
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> spark.sql("SELECT restore(content, '/no/model.pth', map('tile', 'abc')) FROM hr"));
            assertEquals("restore option tile = 'abc' is invalid: must be an integer", bad.getMessage());
        } finally {
            spark.stop();
        }
    }
}
