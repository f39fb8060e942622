package io.mambair.job.platform;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkLineCheckTest {
    @Test
    void theBuildKnowsTheLineItRunsOnInTheseTests() {
        SparkLine built = SparkLine.built();
        assertEquals(SparkLine.running().scalaBinaryVersion(), built.scalaBinaryVersion());
        assertEquals(org.apache.spark.package$.MODULE$.SPARK_VERSION(), built.sparkVersion());
        assertTrue(SparkLineCheck.mismatch(built, SparkLine.running()).isEmpty());
    }

    @Test
    void theSpark35JarOnSpark4NamesTheSpark4Jar() {
        String line = SparkLineCheck.mismatch(new SparkLine("3.5.9", "2.12"), new SparkLine("4.2.0", "2.13")).orElseThrow();
        assertEquals("error: this mambair job jar (mambair-job-*-all.jar) is built for Spark 3.5.9 / Scala 2.12, but runs on"
                + " Spark 4.2.0 / Scala 2.13; use mambair-job-*-spark4-all.jar (built with -Pspark4)", line);
    }

    @Test
    void theSpark4JarOnSpark35NamesTheSpark35Jar() {
        String line = SparkLineCheck.mismatch(new SparkLine("4.1.1", "2.13"), new SparkLine("3.5.9", "2.12")).orElseThrow();
        assertTrue(line.contains("use mambair-job-*-all.jar (built without -Pspark4)"), line);
        assertTrue(line.lines().count() == 1, line);
    }

    @Test
    void aPatchVersionOfScalaIsItsBinaryVersion() {
        assertEquals("2.13", SparkLine.binary("2.13.17"));
        assertEquals("2.12", SparkLine.binary("2.12.18"));
    }

    @Test
    void anotherSparkVersionOnTheSameScalaLineIsAccepted() {
        assertTrue(SparkLineCheck.mismatch(new SparkLine("4.1.1", "2.13"), new SparkLine("4.0.2", "2.13")).isEmpty());
    }
}
