#include "cuda_scratch.h"
#include "glibc_floor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ort_cuda_abi.h"

namespace {

constexpr const char* kOp = "SelectiveScan2D (CUDA)";

OrtStatus* fail(const OrtApi* api, const char* detail) {
  char message[1600];
  snprintf(message, sizeof message, "%s: %s", kOp, detail);
  return api->CreateStatus(ORT_FAIL, message);
}

// MAMBAIR_CUDA_SCRATCH as read at the first call: 0 unset, 1 ort, 2 async, 3 sync, -1 unknown.
int forced() {
  static int value = -2;  // a race here only reads the environment twice
  if (value == -2) {
    const char* v = getenv("MAMBAIR_CUDA_SCRATCH");
    value = v == nullptr || v[0] == '\0' ? 0
            : strcmp(v, "ort") == 0     ? 1
            : strcmp(v, "async") == 0   ? 2
            : strcmp(v, "sync") == 0    ? 3
                                        : -1;
  }
  return value;
}

OrtStatus* provider_allocator(const OrtApi* api, OrtKernelContext* context, const OrtValue* output,
                              OrtAllocator** allocator) {
  const OrtMemoryInfo* memory = nullptr;
  if (OrtStatus* s = ort_slot<OrtGetTensorMemoryInfoFn>(api, kOrtSlotGetTensorMemoryInfo)(output, &memory)) return s;
  return ort_slot<OrtKernelContextGetAllocatorFn>(api, kOrtSlotKernelContext_GetAllocator)(context, memory, allocator);
}

}  // namespace

const char* cuda_scratch_name(ScratchMode mode) {
  return mode == ScratchMode::kOrt ? "ort" : mode == ScratchMode::kAsync ? "async" : "sync";
}

bool cuda_scratch_mode(const CudaDriver& cu, bool ort_scratch, bool has_stream, ScratchMode* mode, char* error,
                       size_t error_size) {
  const bool ort = ort_scratch && has_stream, async = cu.cuMemAllocAsync != nullptr;
  switch (forced()) {
    case 1:
      if (!ort) {
        snprintf(error, error_size, "MAMBAIR_CUDA_SCRATCH=ort, but %s",
                 ort_scratch ? "the kernel has no compute stream" : "this ONNX Runtime lacks KernelContext_GetScratchBuffer (C API 18)");
        return false;
      }
      *mode = ScratchMode::kOrt;
      return true;
    case 2:
      if (!async) {
        snprintf(error, error_size, "MAMBAIR_CUDA_SCRATCH=async, but the driver has no cuMemAllocAsync (CUDA 11.2+)");
        return false;
      }
      *mode = ScratchMode::kAsync;
      return true;
    case 3:
      *mode = ScratchMode::kSync;
      return true;
    case 0:
      *mode = ort ? ScratchMode::kOrt : async ? ScratchMode::kAsync : ScratchMode::kSync;
      return true;
    default:
      snprintf(error, error_size, "MAMBAIR_CUDA_SCRATCH=%s is not one of ort, async, sync",
               getenv("MAMBAIR_CUDA_SCRATCH"));
      return false;
  }
}

OrtStatus* cuda_scratch_acquire(const OrtApi* api, const CudaDriver& cu, OrtKernelContext* context,
                                const OrtValue* output, CUstream stream, ScratchMode mode, size_t bytes,
                                CudaScratch* scratch) {
  scratch->mode = mode;
  scratch->pointer = nullptr;
  scratch->stream = stream;
  char detail[512];
  snprintf(detail, sizeof detail, "cannot allocate %zu MiB of GPU scratch (%s)", (bytes + (1 << 20) - 1) >> 20,
           cuda_scratch_name(mode));
  if (mode == ScratchMode::kOrt) {
    const OrtMemoryInfo* memory = nullptr;
    if (OrtStatus* s = ort_slot<OrtGetTensorMemoryInfoFn>(api, kOrtSlotGetTensorMemoryInfo)(output, &memory)) return s;
    if (OrtStatus* s = ort_slot<OrtKernelContextGetScratchBufferFn>(api, kOrtSlotKernelContext_GetScratchBuffer)(
            context, memory, bytes, &scratch->pointer)) {
      return s;
    }
  } else if (mode == ScratchMode::kAsync) {
    CUdeviceptr p = 0;
    const CUresult r = cu.cuMemAllocAsync(&p, bytes, stream);
    if (r != 0) {
      char call[256];
      cuda_describe(cu, "cuMemAllocAsync", r, call, sizeof call);
      snprintf(detail, sizeof detail, "cannot allocate %zu MiB of GPU scratch: %s", (bytes + (1 << 20) - 1) >> 20,
               call);
      return fail(api, detail);
    }
    scratch->pointer = reinterpret_cast<void*>(p);
  } else {
    OrtAllocator* allocator = nullptr;
    if (OrtStatus* s = provider_allocator(api, context, output, &allocator)) return s;
    scratch->pointer = allocator->Alloc(allocator, bytes);
    ort_slot<OrtReleaseAllocatorFn>(api, kOrtSlotReleaseAllocator)(allocator);
  }
  return scratch->pointer == nullptr ? fail(api, detail) : nullptr;
}

OrtStatus* cuda_scratch_release(const OrtApi* api, const CudaDriver& cu, OrtKernelContext* context,
                                const OrtValue* output, CudaScratch* scratch) {
  if (scratch->pointer == nullptr) return nullptr;
  char detail[512] = "";
  if (scratch->mode == ScratchMode::kAsync) {
    const CUresult r = cu.cuMemFreeAsync(reinterpret_cast<CUdeviceptr>(scratch->pointer), scratch->stream);
    if (r != 0) cuda_describe(cu, "cuMemFreeAsync", r, detail, sizeof detail);
  } else {
    if (scratch->mode == ScratchMode::kSync) {
      // the provider's allocator hands a freed block out again at once: wait until this call's kernels are done
      const CUresult r = cu.cuStreamSynchronize(scratch->stream);
      if (r != 0) cuda_describe(cu, "cuStreamSynchronize", r, detail, sizeof detail);
    }
    OrtAllocator* allocator = nullptr;
    if (OrtStatus* s = provider_allocator(api, context, output, &allocator)) return s;
    // ort mode: the block stays bound to the compute stream in ORT's arena, so freeing it now is stream-ordered
    if (detail[0] == '\0') allocator->Free(allocator, scratch->pointer);  // never free under kernels that may run
    ort_slot<OrtReleaseAllocatorFn>(api, kOrtSlotReleaseAllocator)(allocator);
  }
  scratch->pointer = nullptr;
  return detail[0] == '\0' ? nullptr : fail(api, detail);
}
