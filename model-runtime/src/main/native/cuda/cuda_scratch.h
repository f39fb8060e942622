// Scratch memory of one SelectiveScan2D call that is safe with concurrent runs on other streams: it is not handed
// to anyone else before this call's kernels are done with it. Three ways, best first:
//   ort   KernelContext_GetScratchBuffer (ORT C API 18+): ORT's stream-aware arena binds the block to the compute
//         stream, so only that stream reuses it after the free; needs a compute stream (ORT dereferences it)
//   async cuMemAllocAsync / cuMemFreeAsync on the compute stream (driver 11.2+): the driver orders the reuse
//   sync  the provider's allocator (KernelContext_GetAllocator) and a cuStreamSynchronize before the free
// MAMBAIR_CUDA_SCRATCH=ort|async|sync (read once) forces one, for tests and the device check.
#pragma once

#include <stddef.h>

#include "../ort_custom_op_abi.h"
#include "cuda_driver.h"

enum class ScratchMode { kOrt, kAsync, kSync };

// The mode for calls on `stream` (nullptr: the legacy default stream): the forced one, else the best available.
// ort_scratch says whether the OrtApi has KernelContext_GetScratchBuffer. On failure (a forced mode that is not
// available) false, with the reason in error.
bool cuda_scratch_mode(const CudaDriver& driver, bool ort_scratch, bool has_stream, ScratchMode* mode, char* error,
                       size_t error_size);

// "ort", "async" or "sync".
const char* cuda_scratch_name(ScratchMode mode);

// One call's scratch block. acquire, then release after the launches are queued on stream (release orders or waits
// as its mode requires; it is also right after a failed launch).
struct CudaScratch {
  ScratchMode mode;
  void* pointer;
  CUstream stream;
};

// Allocates bytes (> 0) for output's device; nullptr status and scratch->pointer set, or an ORT error naming the
// size (an allocation failure is an error of this call, never an abort).
OrtStatus* cuda_scratch_acquire(const OrtApi* api, const CudaDriver& driver, OrtKernelContext* context,
                                const OrtValue* output, CUstream stream, ScratchMode mode, size_t bytes,
                                CudaScratch* scratch);

// Returns the block; nullptr, or an ORT error when the stream synchronisation or free failed (a device fault shows
// here in sync mode).
OrtStatus* cuda_scratch_release(const OrtApi* api, const CudaDriver& driver, OrtKernelContext* context,
                                const OrtValue* output, CudaScratch* scratch);
