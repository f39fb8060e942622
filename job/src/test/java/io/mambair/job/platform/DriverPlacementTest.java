package io.mambair.job.platform;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriverPlacementTest {
    @Test
    void aDatabricksJarTaskAndClusterDeployModeRunTheDriverInsideTheCluster() {
        assertTrue(DriverPlacement.of(Map.of("DATABRICKS_RUNTIME_VERSION", "18.0"), "").insideCluster());
        assertTrue(DriverPlacement.of(Map.of(), "cluster").insideCluster());
        assertFalse(DriverPlacement.of(Map.of(), "client").insideCluster());
        assertFalse(DriverPlacement.of(Map.of("HOME", "/root"), "").insideCluster(), "bin/mambair and tests");
    }

    @Test
    void aFailedRunInsideTheClusterCarriesItsReasonAndStatus() {
        JobFailedException e = new JobFailedException(3, "5 of 5 images failed");
        assertEquals("mambair run failed (exit status 3): 5 of 5 images failed", e.getMessage());
        assertEquals(3, e.exitStatus());
    }
}
