// The few CUDA driver API functions the CUDA SelectiveScan2D uses, opened at run time with dlopen("libcuda.so.1"):
// no CUDA header, no CUDA library linked. Types and signatures as in the driver's cuda.h (stable C ABI).
#pragma once

#include <stddef.h>

extern "C" {
typedef int CUresult;  // CUDA_SUCCESS = 0
typedef int CUdevice;
typedef struct CUctx_st* CUcontext;
typedef struct CUmod_st* CUmodule;
typedef struct CUfunc_st* CUfunction;
typedef struct CUstream_st* CUstream;
typedef int CUjit_option;
typedef unsigned long long CUdeviceptr;
}

// CUjit_option values of cuda.h used for the JIT error log.
constexpr CUjit_option kCuJitErrorLogBuffer = 5;
constexpr CUjit_option kCuJitErrorLogBufferSizeBytes = 6;

// Entry points of libcuda.so.1 (exported names in comments where they carry a version suffix).
struct CudaDriver {
  CUresult (*cuInit)(unsigned flags);
  CUresult (*cuGetErrorString)(CUresult error, const char** text);
  CUresult (*cuCtxGetCurrent)(CUcontext* context);
  CUresult (*cuCtxPushCurrent)(CUcontext context);   // cuCtxPushCurrent_v2
  CUresult (*cuCtxPopCurrent)(CUcontext* context);   // cuCtxPopCurrent_v2
  CUresult (*cuStreamGetCtx)(CUstream stream, CUcontext* context);
  CUresult (*cuModuleLoadDataEx)(CUmodule* module, const void* image, unsigned options, CUjit_option* keys,
                                 void** values);
  CUresult (*cuModuleGetFunction)(CUfunction* function, CUmodule module, const char* name);
  CUresult (*cuLaunchKernel)(CUfunction function, unsigned grid_x, unsigned grid_y, unsigned grid_z,
                             unsigned block_x, unsigned block_y, unsigned block_z, unsigned shared_bytes,
                             CUstream stream, void** params, void** extra);
  CUresult (*cuStreamSynchronize)(CUstream stream);
  // Stream-ordered allocation (CUDA 11.2+); nullptr when the driver lacks it.
  CUresult (*cuMemAllocAsync)(CUdeviceptr* pointer, size_t bytes, CUstream stream);
  CUresult (*cuMemFreeAsync)(CUdeviceptr pointer, CUstream stream);
};

// True for the driver's sticky errors: the context is unusable afterwards, every later call on it fails (illegal
// address, kernel assert, hardware stack error, illegal or misaligned instruction or address, launch failure,
// launch timeout, uncorrectable ECC error). The process must drop the context (for ONNX Runtime: the session).
bool cuda_sticky(CUresult result);

// The driver, opened once per process; nullptr when libcuda.so.1 cannot be opened or lacks a function, with the
// reason (one line) in *error.
const CudaDriver* cuda_driver(const char** error);

// "cuFoo failed: <driver's error text> (code N)" into buffer; a sticky error is prefixed "CUDA device fault: " (the
// runtime ends the task on that prefix, see DeviceFaultException).
void cuda_describe(const CudaDriver& driver, const char* call, CUresult result, char* buffer, size_t size);
