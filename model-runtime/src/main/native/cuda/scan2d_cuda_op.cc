// Freestanding C++ (C headers only): no exceptions, no RTTI, no C++ library.
#include "scan2d_cuda_op.h"
#include "glibc_floor.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "cuda_driver.h"
#include "ort_cuda_abi.h"
#include "scan2d_plan.h"

// The kernels' PTX, NUL-terminated (embedded by build.sh).
extern "C" const char mambair_scan2d_ptx[];

namespace {

constexpr const char* kOp = "SelectiveScan2D (CUDA)";
constexpr size_t kInputs = 7;
constexpr const char* kInputNames[kInputs] = {"u", "delta", "A", "Bs", "Cs", "Ds", "delta_bias"};
constexpr size_t kRanks[kInputs] = {4, 4, 2, 4, 4, 1, 1};

// A status "SelectiveScan2D (CUDA): <detail>".
OrtStatus* fail(const OrtApi* api, OrtErrorCode code, const char* detail) {
  char message[1600];
  snprintf(message, sizeof message, "%s: %s", kOp, detail);
  return api->CreateStatus(code, message);
}

struct Input {
  const float* data;
  int64_t dims[4];
};

OrtStatus* read_input(const OrtApi* api, OrtKernelContext* context, size_t index, Input* out) {
  const OrtValue* value = nullptr;
  if (OrtStatus* s = api->KernelContext_GetInput(context, index, &value)) return s;
  char detail[128];
  if (value == nullptr) {
    snprintf(detail, sizeof detail, "input %s is missing", kInputNames[index]);
    return fail(api, ORT_INVALID_ARGUMENT, detail);
  }
  OrtTensorTypeAndShapeInfo* info = nullptr;
  if (OrtStatus* s = api->GetTensorTypeAndShape(value, &info)) return s;
  size_t rank = 0;
  OrtStatus* status = api->GetDimensionsCount(info, &rank);
  if (status == nullptr && rank != kRanks[index]) {
    snprintf(detail, sizeof detail, "input %s must have rank %zu, got rank %zu", kInputNames[index], kRanks[index],
             rank);
    status = fail(api, ORT_INVALID_ARGUMENT, detail);
  }
  if (status == nullptr) status = api->GetDimensions(info, out->dims, rank);
  api->ReleaseTensorTypeAndShapeInfo(info);
  if (status != nullptr) return status;
  void* data = nullptr;
  if (OrtStatus* s = api->GetTensorMutableData(const_cast<OrtValue*>(value), &data)) return s;
  out->data = static_cast<const float*>(data);
  return nullptr;
}

// The CPU operator's shape contract (selective_scan_op.cc, check_shapes_2d); one line naming the first mismatch.
OrtStatus* check_shapes(const OrtApi* api, const Input* in) {
  const int64_t B = in[0].dims[0], E = in[0].dims[1], L = in[0].dims[2] * in[0].dims[3], N = in[2].dims[1];
  const int64_t* d = in[1].dims;
  char detail[256] = "";
  if (d[0] != B || d[1] != 4 || d[2] != E || d[3] != L) {
    snprintf(detail, sizeof detail, "delta must be (B, 4, E, H*W) = (%lld, 4, %lld, %lld)", (long long)B,
             (long long)E, (long long)L);
  } else if (in[2].dims[0] != 4 * E) {
    snprintf(detail, sizeof detail, "A must be (4E, N) with 4E = %lld", (long long)(4 * E));
  } else {
    for (size_t i = 3; i <= 4 && detail[0] == 0; ++i) {
      const int64_t* t = in[i].dims;
      if (t[0] != B || t[1] != 4 || t[2] != N || t[3] != L) {
        snprintf(detail, sizeof detail, "%s must be (B, 4, N, H*W) = (%lld, 4, %lld, %lld)", kInputNames[i],
                 (long long)B, (long long)N, (long long)L);
      }
    }
    for (size_t i = 5; i <= 6 && detail[0] == 0; ++i) {
      if (in[i].dims[0] != 4 * E) {
        snprintf(detail, sizeof detail, "%s must be (4E) with 4E = %lld", kInputNames[i], (long long)(4 * E));
      }
    }
  }
  if (detail[0] == 0 && mambair_scan2d_state_variant(N) < 0) {
    snprintf(detail, sizeof detail, "d_state N = %lld is not supported on CUDA (1..32)", (long long)N);
  }
  if (detail[0] == 0 && (L > INT_MAX / 2 || E > 65535 * 32LL || B > 65535)) {
    snprintf(detail, sizeof detail, "B %lld, E %lld, H*W %lld exceed the kernels' launch limits", (long long)B,
             (long long)E, (long long)L);
  }
  return detail[0] == 0 ? nullptr : fail(api, ORT_INVALID_ARGUMENT, detail);
}

// One loaded module per CUDA context (the provider uses the device's primary context).
struct ModuleCache {
  pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
  CUcontext contexts[64];
  CUmodule modules[64];
  int count = 0;
};
ModuleCache cache;

// The module of the current context, loaded on first use. On failure, the reason in error.
CUmodule module_for(const CudaDriver& cu, CUcontext context, char* error, size_t error_size) {
  pthread_mutex_lock(&cache.mutex);
  CUmodule module = nullptr;
  for (int i = 0; i < cache.count; ++i) {
    if (cache.contexts[i] == context) module = cache.modules[i];
  }
  if (module == nullptr) {
    if (cache.count == 64) {
      snprintf(error, error_size, "more than 64 CUDA contexts");
    } else {
      char log[1024] = "";
      CUjit_option keys[2] = {kCuJitErrorLogBuffer, kCuJitErrorLogBufferSizeBytes};
      void* values[2] = {log, reinterpret_cast<void*>(sizeof log)};
      const CUresult r = cu.cuModuleLoadDataEx(&module, mambair_scan2d_ptx, 2, keys, values);
      if (r != 0) {
        cuda_describe(cu, "cuModuleLoadDataEx (PTX JIT)", r, error, error_size);
        module = nullptr;
      } else {
        cache.contexts[cache.count] = context;
        cache.modules[cache.count++] = module;
      }
    }
  }
  pthread_mutex_unlock(&cache.mutex);
  return module;
}

struct Kernel {
  const OrtApi* api;
  const CudaDriver* cu;
};

// Launches the schedule on stream (context pushed by the caller).
bool launch_all(const CudaDriver& cu, CUmodule module, CUstream stream, const MambairLaunch* launches, char* error,
                size_t error_size) {
  for (int i = 0; i < kMambairScan2DLaunches; ++i) {
    const MambairLaunch& l = launches[i];
    CUfunction function = nullptr;
    CUresult r = cu.cuModuleGetFunction(&function, module, l.kernel);
    if (r == 0) {
      void* params[1] = {const_cast<MambairScan2DArgs*>(&l.args)};
      r = cu.cuLaunchKernel(function, l.grid[0], l.grid[1], l.grid[2], l.block[0], l.block[1], l.block[2], 0, stream,
                            params, nullptr);
    }
    if (r != 0) {
      cuda_describe(cu, l.kernel, r, error, error_size);
      return false;
    }
  }
  return true;
}

OrtStatus* compute(void* kernel_state, OrtKernelContext* context) {
  const Kernel& k = *static_cast<Kernel*>(kernel_state);
  const OrtApi* api = k.api;
  const CudaDriver& cu = *k.cu;
  Input in[kInputs];
  for (size_t i = 0; i < kInputs; ++i) {
    if (OrtStatus* s = read_input(api, context, i, &in[i])) return s;
  }
  if (OrtStatus* s = check_shapes(api, in)) return s;
  const int64_t* u = in[0].dims;
  const int64_t y_dims[4] = {u[0], u[2], u[3], u[1]};
  OrtValue* output = nullptr;
  if (OrtStatus* s = api->KernelContext_GetOutput(context, 0, y_dims, 4, &output)) return s;
  void* y = nullptr;
  if (OrtStatus* s = api->GetTensorMutableData(output, &y)) return s;
  if (u[0] * u[1] * u[2] * u[3] == 0) return nullptr;

  void* stream = nullptr;
  if (OrtStatus* s = ort_slot<OrtKernelContextGetGPUComputeStreamFn>(
          api, kOrtSlotKernelContext_GetGPUComputeStream)(context, &stream)) {
    return s;
  }
  char error[1536] = "";
  CUcontext cuda_context = nullptr;
  const CUresult got = stream != nullptr ? cu.cuStreamGetCtx(static_cast<CUstream>(stream), &cuda_context)
                                         : cu.cuCtxGetCurrent(&cuda_context);
  if (got != 0 || cuda_context == nullptr) {
    if (got != 0) cuda_describe(cu, "cuStreamGetCtx", got, error, sizeof error);
    return fail(api, ORT_FAIL, got != 0 ? error : "no CUDA context for the provider's stream");
  }
  CUmodule module = module_for(cu, cuda_context, error, sizeof error);
  if (module == nullptr) return fail(api, ORT_FAIL, error);

  MambairScan2DArgs args{};
  args.u = in[0].data;
  args.delta = in[1].data;
  args.a = in[2].data;
  args.bs = in[3].data;
  args.cs = in[4].data;
  args.ds = in[5].data;
  args.delta_bias = in[6].data;
  args.y = static_cast<float*>(y);
  args.batch = u[0];
  args.channels = u[1];
  args.height = u[2];
  args.width = u[3];
  args.states = in[2].dims[1];
  const MambairScan2DPlan plan = mambair_scan2d_plan(args, 0);

  // Scratch from the provider's allocator for the output's device, freed after the launches are queued. That
  // allocator takes no stream: with concurrent runs on other streams the block may be reused before these kernels
  // finish (unverified; see model-runtime/README.md, "The fused selective scan on CUDA").
  const OrtMemoryInfo* memory = nullptr;
  if (OrtStatus* s = ort_slot<OrtGetTensorMemoryInfoFn>(api, kOrtSlotGetTensorMemoryInfo)(output, &memory)) return s;
  OrtAllocator* allocator = nullptr;
  if (OrtStatus* s = ort_slot<OrtKernelContextGetAllocatorFn>(api, kOrtSlotKernelContext_GetAllocator)(
          context, memory, &allocator)) {
    return s;
  }
  const size_t floats = static_cast<size_t>(plan.y_dirs_floats + plan.chunk_h_floats + plan.chunk_dt_floats);
  float* scratch = static_cast<float*>(allocator->Alloc(allocator, floats * sizeof(float)));
  OrtStatus* status = nullptr;
  if (scratch == nullptr) {
    snprintf(error, sizeof error, "cannot allocate %zu MiB of GPU scratch", floats * sizeof(float) >> 20);
    status = fail(api, ORT_FAIL, error);
  } else {
    args.y_dirs = scratch;
    args.chunk_h = scratch + plan.y_dirs_floats;
    args.chunk_dt = args.chunk_h + plan.chunk_h_floats;
    MambairLaunch launches[kMambairScan2DLaunches];
    mambair_scan2d_schedule(args, plan, launches);
    CUresult pushed = cu.cuCtxPushCurrent(cuda_context);
    if (pushed != 0) {
      cuda_describe(cu, "cuCtxPushCurrent", pushed, error, sizeof error);
      status = fail(api, ORT_FAIL, error);
    } else {
      if (!launch_all(cu, module, static_cast<CUstream>(stream), launches, error, sizeof error)) {
        status = fail(api, ORT_FAIL, error);
      }
      CUcontext popped = nullptr;
      cu.cuCtxPopCurrent(&popped);
    }
    allocator->Free(allocator, scratch);
  }
  ort_slot<OrtReleaseAllocatorFn>(api, kOrtSlotReleaseAllocator)(allocator);
  return status;
}

OrtStatus* create_kernel(const OrtCustomOp*, const OrtApi* api, const OrtKernelInfo*, void** kernel) {
  const char* reason = nullptr;
  const CudaDriver* cu = cuda_driver(&reason);
  if (cu == nullptr) return fail(api, ORT_FAIL, reason);
  Kernel* k = static_cast<Kernel*>(malloc(sizeof(Kernel)));
  if (k == nullptr) return fail(api, ORT_FAIL, "out of memory");
  k->api = api;
  k->cu = cu;
  *kernel = k;
  return nullptr;
}

ONNXTensorElementDataType float_type(const OrtCustomOp*, size_t) { return ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT; }
OrtCustomOpInputOutputCharacteristic required(const OrtCustomOp*, size_t) { return INPUT_OUTPUT_REQUIRED; }
int one(const OrtCustomOp*) { return 1; }

OrtCustomOp make_op() {
  OrtCustomOp o{};
  o.version = MAMBAIR_ORT_API_VERSION;
  o.GetName = [](const OrtCustomOp*) { return "SelectiveScan2D"; };
  o.GetExecutionProviderType = [](const OrtCustomOp*) { return "CUDAExecutionProvider"; };
  o.GetInputType = float_type;
  o.GetInputTypeCount = [](const OrtCustomOp*) { return kInputs; };
  o.GetOutputType = float_type;
  o.GetOutputTypeCount = [](const OrtCustomOp*) { return size_t{1}; };
  o.KernelDestroy = [](void* kernel) { free(kernel); };
  o.GetInputCharacteristic = required;
  o.GetOutputCharacteristic = required;
  o.GetInputMemoryType = [](const OrtCustomOp*, size_t) { return OrtMemTypeDefault; };  // all on the device
  o.GetVariadicInputMinArity = one;
  o.GetVariadicInputHomogeneity = one;
  o.GetVariadicOutputMinArity = one;
  o.GetVariadicOutputHomogeneity = one;
  o.CreateKernelV2 = create_kernel;
  o.KernelComputeV2 = compute;
  o.GetStartVersion = one;
  o.GetEndVersion = [](const OrtCustomOp*) { return INT_MAX; };
  return o;
}

OrtCustomOp cuda_op;  // referenced by every session's domain: never freed

}  // namespace

OrtStatus* mambair_cuda_add_ops(const OrtApi* api, OrtCustomOpDomain* domain) {
  if (mambair_scan2d_ptx[0] == '\0') return nullptr;  // built without clang: no kernel, the CPU operator serves
  cuda_op = make_op();
  return api->CustomOpDomain_Add(domain, &cuda_op);
}
