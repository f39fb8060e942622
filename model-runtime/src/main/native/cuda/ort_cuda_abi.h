// The OrtApi functions the CUDA SelectiveScan2D needs beyond ort_custom_op_abi.h, reached by their slot in the
// OrtApi function table (index = byte offset / pointer size; the table is append-only upstream). Every index is
// checked against ONNX Runtime's C header by OrtApiSlotsTest (facts in src/test/resources, with provenance).
#pragma once

#include "../ort_custom_op_abi.h"

extern "C" {
typedef struct OrtMemoryInfo OrtMemoryInfo;

// Layout of OrtAllocator up to the members of API version 1 (version, Alloc, Free, Info).
typedef struct OrtAllocator {
  uint32_t version;
  void* (*Alloc)(struct OrtAllocator* self, size_t size);
  void (*Free)(struct OrtAllocator* self, void* p);
  const OrtMemoryInfo* (*Info)(const struct OrtAllocator* self);
} OrtAllocator;
}

constexpr size_t kOrtSlotReleaseAllocator = 132;
constexpr size_t kOrtSlotKernelContext_GetGPUComputeStream = 193;
constexpr size_t kOrtSlotGetTensorMemoryInfo = 194;
constexpr size_t kOrtSlotKernelContext_GetAllocator = 253;
constexpr size_t kOrtSlotKernelContext_GetScratchBuffer = 277;  // C API 18 (ONNX Runtime 1.18)
constexpr uint32_t kOrtApiVersionScratchBuffer = 18;

typedef void (*OrtReleaseAllocatorFn)(OrtAllocator* allocator);
typedef OrtStatus* (*OrtKernelContextGetGPUComputeStreamFn)(const OrtKernelContext* context, void** out);
typedef OrtStatus* (*OrtGetTensorMemoryInfoFn)(const OrtValue* value, const OrtMemoryInfo** out);
typedef OrtStatus* (*OrtKernelContextGetAllocatorFn)(const OrtKernelContext* context, const OrtMemoryInfo* info,
                                                     OrtAllocator** out);
typedef OrtStatus* (*OrtKernelContextGetScratchBufferFn)(const OrtKernelContext* context, const OrtMemoryInfo* info,
                                                         size_t bytes, void** out);

// The function at `slot` of the table.
template <typename F>
inline F ort_slot(const OrtApi* api, size_t slot) {
  return reinterpret_cast<F>(reinterpret_cast<void* const*>(api)[slot]);
}
