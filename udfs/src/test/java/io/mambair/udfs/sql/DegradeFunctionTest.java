package io.mambair.udfs.sql;

import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.testing.SharedData;
import io.mambair.udfs.codec.ImageFiles;
import io.mambair.runtime.testing.DebianNumpy;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code degrade(image, options)} over a binaryFile table against the official noisy inputs made by NumPy and OpenCV. */
class DegradeFunctionTest {
    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("DegradeFunctionTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        MambairFunctions.register(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void noisyColourAndGreyInputsBySqlEqualTheOfficialOnes() throws Exception {
        Path image = SharedData.require("data/benchmarks/Kodak24/kodim05.png");
        DebianNumpy.run("""
                import sys, cv2, numpy as np
                for name, flag in (('colour', cv2.IMREAD_COLOR), ('grey', cv2.IMREAD_GRAYSCALE)):
                    gt = cv2.imread(sys.argv[1], flag).astype(np.float32) / 255.
                    if gt.ndim == 2:
                        gt = gt[:, :, None]
                    np.random.seed(seed=0)
                    lq = (gt + np.random.normal(0, 50 / 255., gt.shape)).astype('float32')
                    if lq.shape[2] == 3:
                        lq = cv2.cvtColor(lq, cv2.COLOR_BGR2RGB)
                    np.save(sys.argv[2] + '/' + name + '.npy', lq.transpose(2, 0, 1)[None])
                """, image.toString(), tmp.toString());
        spark.read().format("binaryFile").load(image.toString()).createOrReplaceTempView("refs");
        Row row = spark.sql("SELECT degrade(content, 'noise_sigma=50,noise_seed=0'),"
                + " degrade(content, 'noise_sigma=50, noise_seed=0, grey=true') FROM refs").first();
        for (int i = 0; i < 2; i++) {
            String name = List.of("colour", "grey").get(i);
            PlanarImage sql = ImageFiles.decode((byte[]) row.get(i), "sql", 1 << 20).color();
            PlanarImage official = ImageFiles.read(tmp.resolve(name + ".npy"), 1 << 20).color();
            assertEquals(official.toString(), sql.toString(), name);
            double maxAbs = 0;
            for (int k = 0; k < sql.data().length; k++) maxAbs = Math.max(maxAbs, Math.abs(sql.data()[k] - official.data()[k]));
            assertTrue(maxAbs <= 1e-6, name + ": max abs " + maxAbs);
        }
    }

    @Test
    void anUnknownOptionFailsTheQueryNamingTheValidOnes() {
        Path image = SharedData.require("data/benchmarks/Kodak24/kodim05.png");
        spark.read().format("binaryFile").load(image.toString()).createOrReplaceTempView("refs");
        Exception e = assertThrows(Exception.class, () -> spark.sql("SELECT degrade(content, 'sigma=50') FROM refs").collect());
        assertTrue(String.valueOf(rootCause(e).getMessage()).contains("unknown degrade option 'sigma'"), rootCause(e).toString());
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }
}
