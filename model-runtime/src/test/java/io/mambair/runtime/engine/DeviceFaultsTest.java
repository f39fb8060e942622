package io.mambair.runtime.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which ONNX Runtime errors are device faults (they end the task) and which are a problem of one image. */
class DeviceFaultsTest {
    @Test
    void theLibrarysStickyErrorsAndOnnxRuntimesCudaFailuresAreFaults() {
        // the CUDA operator's wording (cuda_driver.cc) inside ORT's node error
        assertTrue(DeviceFaults.isFault("Non-zero status code returned while running SelectiveScan2D node. Name:'scan_3' Status Message: "
                + "SelectiveScan2D (CUDA): CUDA device fault: cuLaunchKernel(mambair_scan2d_merge) failed: an illegal memory access"
                + " was encountered (code 700)"));
        // ORT's CUDA_CALL and CUDA_RETURN_IF_ERROR wordings
        assertTrue(DeviceFaults.isFault("CUDA failure 700: an illegal memory access was encountered ; GPU=0 ; hostname=n1 ; expr=cudaStreamSynchronize(stream);"));
        assertTrue(DeviceFaults.isFault("CUDA error cudaErrorLaunchFailure:unspecified launch failure"));
        assertTrue(DeviceFaults.isFault("CUDA failure 214: uncorrectable ECC error encountered ; GPU=1"));
    }

    @Test
    void recoverableCudaErrorsAndImageErrorsAreNot() {
        assertFalse(DeviceFaults.isFault("CUDA failure 2: out of memory ; GPU=0 ; hostname=n1"));
        assertFalse(DeviceFaults.isFault("CUDA error cudaErrorMemoryAllocation:out of memory"));
        assertFalse(DeviceFaults.isFault("SelectiveScan2D (CUDA): cuLaunchKernel(mambair_scan2d_carry) failed: too many resources"
                + " requested for launch (code 701)"));
        assertFalse(DeviceFaults.isFault("SelectiveScan2D (CUDA): d_state N = 40 is not supported on CUDA (1..32)"));
        assertFalse(DeviceFaults.isFault("CUDA failure 7000: made up"));
        assertFalse(DeviceFaults.isFault(null));
    }
}
