// Freestanding C++ (C headers only): no exceptions, no RTTI, no C++ library.
#include "scan2d_cuda_op.h"
#include "glibc_floor.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "cuda_driver.h"
#include "cuda_modules.h"
#include "cuda_scratch.h"
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
  if (detail[0] == 0 && (L > INT_MAX / 2 || E > kMambairMaxGridYZ * 32 || B > kMambairMaxGridYZ)) {
    snprintf(detail, sizeof detail, "B %lld, E %lld, H*W %lld exceed the kernels' launch limits", (long long)B,
             (long long)E, (long long)L);
  }
  return detail[0] == 0 ? nullptr : fail(api, ORT_INVALID_ARGUMENT, detail);
}

struct Kernel {
  const OrtApi* api;
  const CudaDriver* cu;
};

bool g_ort_scratch;  // the OrtApi has KernelContext_GetScratchBuffer (set at registration)

// Launches the schedule on stream; the stream's context is current (pushed by the caller). A failed launch names
// the kernel and the driver's error (a sticky one as a device fault).
bool launch_all(const CudaDriver& cu, const CudaKernels& kernels, CUstream stream, const MambairLaunch* launches,
                char* error, size_t error_size) {
  for (int i = 0; i < kMambairScan2DLaunches; ++i) {
    const MambairLaunch& l = launches[i];
    void* params[1] = {const_cast<MambairScan2DArgs*>(&l.args)};
    const CUresult r = cu.cuLaunchKernel(cuda_kernel(kernels, l.kernel), l.grid[0], l.grid[1], l.grid[2], l.block[0],
                                         l.block[1], l.block[2], 0, stream, params, nullptr);
    if (r != 0) {
      char call[160];
      snprintf(call, sizeof call, "cuLaunchKernel(%s)", l.kernel);
      cuda_describe(cu, call, r, error, error_size);
      return false;
    }
  }
  return true;
}

// The scratch bytes of plan; false when they do not fit in size_t.
bool scratch_bytes(const MambairScan2DPlan& plan, size_t* bytes) {
  int64_t floats = 0;
  if (__builtin_add_overflow(plan.y_dirs_floats, plan.chunk_h_floats, &floats) ||
      __builtin_add_overflow(floats, plan.chunk_dt_floats, &floats)) {
    return false;
  }
  return !__builtin_mul_overflow(static_cast<size_t>(floats), sizeof(float), bytes);
}

// The context current on this thread is the stream's for the duration of the call.
OrtStatus* run_on_context(const Kernel& k, OrtKernelContext* context, const OrtValue* output, CUstream stream,
                          CUcontext cuda_context, MambairScan2DArgs args) {
  const OrtApi* api = k.api;
  const CudaDriver& cu = *k.cu;
  char error[1536] = "";
  const CudaKernels* kernels = cuda_kernels_for(cu, cuda_context, mambair_scan2d_ptx, error, sizeof error);
  if (kernels == nullptr) return fail(api, ORT_FAIL, error);
  const MambairScan2DPlan plan = mambair_scan2d_plan(args, 0);
  size_t bytes = 0;
  MambairLaunch launches[kMambairScan2DLaunches];
  if (!scratch_bytes(plan, &bytes) || !mambair_scan2d_schedule(args, plan, launches)) {
    snprintf(error, sizeof error, "B %lld, E %lld, N %lld, %lldx%lld exceed the kernels' launch limits",
             (long long)args.batch, (long long)args.channels, (long long)args.states, (long long)args.height,
             (long long)args.width);
    return fail(api, ORT_INVALID_ARGUMENT, error);
  }
  ScratchMode mode;
  if (!cuda_scratch_mode(cu, g_ort_scratch, stream != nullptr, &mode, error, sizeof error)) {
    return fail(api, ORT_FAIL, error);
  }
  CudaScratch scratch;
  if (OrtStatus* s = cuda_scratch_acquire(api, cu, context, output, stream, mode, bytes, &scratch)) return s;
  float* base = static_cast<float*>(scratch.pointer);
  args.y_dirs = base;
  args.chunk_h = base + plan.y_dirs_floats;
  args.chunk_dt = args.chunk_h + plan.chunk_h_floats;
  mambair_scan2d_schedule(args, plan, launches);  // again, with the scratch pointers
  const bool launched = launch_all(cu, *kernels, stream, launches, error, sizeof error);
  OrtStatus* released = cuda_scratch_release(api, cu, context, output, &scratch);
  if (!launched) {
    if (released != nullptr) api->ReleaseStatus(released);
    return fail(api, ORT_FAIL, error);
  }
  return released;
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
  // The context of the provider's stream (never assumed: another GPU's context may be current on this thread, or
  // none); without a stream, the one current on this thread.
  char error[512] = "";
  CUcontext cuda_context = nullptr;
  const CUresult got = stream != nullptr ? cu.cuStreamGetCtx(static_cast<CUstream>(stream), &cuda_context)
                                         : cu.cuCtxGetCurrent(&cuda_context);
  if (got != 0) {
    cuda_describe(cu, stream != nullptr ? "cuStreamGetCtx" : "cuCtxGetCurrent", got, error, sizeof error);
    return fail(api, ORT_FAIL, error);
  }
  if (cuda_context == nullptr) return fail(api, ORT_FAIL, "no CUDA context: the kernel has no stream and none is current");

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

  const CUresult pushed = cu.cuCtxPushCurrent(cuda_context);
  if (pushed != 0) {
    cuda_describe(cu, "cuCtxPushCurrent", pushed, error, sizeof error);
    return fail(api, ORT_FAIL, error);
  }
  OrtStatus* status = run_on_context(k, context, output, static_cast<CUstream>(stream), cuda_context, args);
  CUcontext popped = nullptr;
  cu.cuCtxPopCurrent(&popped);
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

OrtStatus* mambair_cuda_add_ops(const OrtApiBase* api_base, const OrtApi* api, OrtCustomOpDomain* domain) {
  if (mambair_scan2d_ptx[0] == '\0') return nullptr;  // built without clang: no kernel, the CPU operator serves
  g_ort_scratch = api_base->GetApi(kOrtApiVersionScratchBuffer) != nullptr;
  cuda_op = make_op();
  return api->CustomOpDomain_Add(domain, &cuda_op);
}
