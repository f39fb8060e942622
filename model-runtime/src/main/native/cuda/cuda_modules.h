// The kernels' module per CUDA context: loaded (PTX JIT) the first time a context asks, with that context current,
// and kept for the life of the process with its function handles. A JIT failure is kept too: the PTX is compiled at
// most once per context, and every later call for that context gets the same error, JIT log included.
#pragma once

#include <stddef.h>

#include "cuda_driver.h"
#include "scan2d_plan.h"

// A context's loaded kernels: functions[i] is kMambairScan2DKernelNames[i].
struct CudaKernels {
  CUfunction functions[kMambairScan2DKernels];
};

// The kernels of `context`, which must be the calling thread's current context (the caller pushed it); nullptr
// with the reason in error (a JIT failure with the driver's log; the same text on every call for that context).
const CudaKernels* cuda_kernels_for(const CudaDriver& driver, CUcontext context, const char* ptx, char* error,
                                    size_t error_size);

// The function of kernel `name` (one of kMambairScan2DKernelNames) in kernels; nullptr for an unknown name.
CUfunction cuda_kernel(const CudaKernels& kernels, const char* name);
