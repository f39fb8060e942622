// ONNX Runtime custom operators of domain io.mambair (since version 1), CPU, float32:
// - SelectiveScan: inputs u (B, D, L), delta (B, D, L), A (D, N), Bs (B, G, N, L), Cs (B, G, N, L), Ds (D),
//   delta_bias (D); output y (B, D, L).
// - SelectiveScan2D: SS2D's four-direction scan with the merge; inputs u (B, E, H, W), delta (B, 4, E, H*W),
//   A (4E, N), Bs (B, 4, N, H*W), Cs (B, 4, N, H*W), Ds (4E), delta_bias (4E); output y (B, H, W, E).
// The work is spread over ONNX Runtime's intra-op thread pool.
// Freestanding like the kernel: C headers only, no C++ runtime, no exceptions. Every failure (a bad shape, an
// allocation) is returned to ONNX Runtime as a status; nothing aborts the host process.
//
// Environment, read once when the library is loaded:
// - MAMBAIR_SCAN_ISA=avx512|avx2|neon|generic forces that SIMD path (RegisterCustomOps fails, naming the paths
//   this CPU has, when it has not this one).
// - MAMBAIR_SCAN_FAIL_ALLOC=n (test only) makes the n-th scratch allocation after load fail, to test that an
//   allocation failure becomes an error of that one call.
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda/scan2d_cuda_op.h"
#include "ort_custom_op_abi.h"
#include "selective_scan_kernel.h"

namespace {

constexpr const char* kDomain = "io.mambair";
constexpr const char* kOp1D = "SelectiveScan";
constexpr const char* kOp2D = "SelectiveScan2D";
constexpr size_t kInputCount = 7;  // both operators
constexpr const char* kInputNames[kInputCount] = {"u", "delta", "A", "Bs", "Cs", "Ds", "delta_bias"};

char g_load_error[256];    // non-empty: RegisterCustomOps fails with this message
long g_fail_allocation;    // MAMBAIR_SCAN_FAIL_ALLOC, 0: none
long g_allocations;        // scratch allocations since load (atomic)

__attribute__((constructor)) void read_environment() {  // runs after the kernel chose its default path
  const char* isa = getenv("MAMBAIR_SCAN_ISA");
  if (isa != nullptr && *isa != '\0') {
    if (mambair::scan_kernel_select(isa)) {
      fprintf(stderr, "[mambair-scan] MAMBAIR_SCAN_ISA=%s: the selective scan runs the %s path\n", isa,
              mambair::scan_kernel_isa());
    } else {
      snprintf(g_load_error, sizeof(g_load_error),
               "libmambair_scan: MAMBAIR_SCAN_ISA=%s is not a path this CPU and build can run (available: %s)", isa,
               mambair::scan_kernel_isas());
    }
  }
  const char* fail = getenv("MAMBAIR_SCAN_FAIL_ALLOC");
  if (fail != nullptr) g_fail_allocation = strtol(fail, nullptr, 10);
}

// Scratch memory for one call (aligned_alloc's size is a multiple of the alignment by ScanPlan's contract).
void* allocate_scratch(size_t bytes) {
  const long n = __atomic_add_fetch(&g_allocations, 1, __ATOMIC_RELAXED);
  if (g_fail_allocation > 0 && n == g_fail_allocation) return nullptr;
  return aligned_alloc(mambair::kScratchAlignment, bytes);
}

// A bounded error message (no allocation): printf-style, silently truncated at 383 characters.
struct Message {
  char text[384] = {};
  size_t length = 0;

  __attribute__((format(printf, 2, 3))) Message& add(const char* format, ...) {
    va_list args;
    va_start(args, format);
    const int n = vsnprintf(text + length, sizeof(text) - length, format, args);
    va_end(args);
    if (n > 0) length = length + static_cast<size_t>(n) < sizeof(text) ? length + static_cast<size_t>(n) : sizeof(text) - 1;
    return *this;
  }
};

// A float tensor input: data and dims.
struct Tensor {
  const float* data = nullptr;
  int64_t dims[4] = {0, 0, 0, 0};
  size_t rank = 0;
};

Message& add_shape(Message& m, const Tensor& t) {
  m.add("(");
  for (size_t i = 0; i < t.rank; ++i) m.add(i ? ", %lld" : "%lld", static_cast<long long>(t.dims[i]));
  return m.add(")");
}

OrtStatus* error(const OrtApi* api, OrtErrorCode code, const Message& m) { return api->CreateStatus(code, m.text); }

OrtStatus* read_input(const OrtApi* api, OrtKernelContext* context, const char* op, size_t index, size_t rank,
                      Tensor* out) {
  const OrtValue* value = nullptr;
  if (OrtStatus* status = api->KernelContext_GetInput(context, index, &value)) return status;
  if (value == nullptr) {
    return error(api, ORT_INVALID_ARGUMENT, Message().add("%s: input %s is missing", op, kInputNames[index]));
  }
  OrtTensorTypeAndShapeInfo* info = nullptr;
  if (OrtStatus* status = api->GetTensorTypeAndShape(value, &info)) return status;
  size_t actual_rank = 0;
  OrtStatus* status = api->GetDimensionsCount(info, &actual_rank);
  if (status == nullptr && actual_rank != rank) {
    status = error(api, ORT_INVALID_ARGUMENT, Message().add("%s: input %s must have rank %zu, got rank %zu", op,
                                                            kInputNames[index], rank, actual_rank));
  }
  if (status == nullptr) status = api->GetDimensions(info, out->dims, rank);
  api->ReleaseTensorTypeAndShapeInfo(info);
  if (status != nullptr) return status;
  out->rank = rank;
  void* data = nullptr;
  // ORT's API version 17 has no const accessor; the kernel only reads inputs.
  if (OrtStatus* s = api->GetTensorMutableData(const_cast<OrtValue*>(value), &data)) return s;
  out->data = static_cast<const float*>(data);
  return nullptr;
}

// "<op>: <name> <shape> " followed by what the caller adds.
Message shape_message(const char* op, const char* name, const Tensor& t) {
  Message m;
  m.add("%s: %s ", op, name);
  add_shape(m, t);
  return m;
}

OrtStatus* shape_error(const OrtApi* api, const Message& m) { return error(api, ORT_INVALID_ARGUMENT, m); }

bool same_dims(const Tensor& a, const Tensor& b) {
  for (size_t i = 0; i < a.rank; ++i) {
    if (a.dims[i] != b.dims[i]) return false;
  }
  return a.rank == b.rank;
}

OrtStatus* check_shapes(const OrtApi* api, const Tensor* in) {
  const Tensor &u = in[0], &delta = in[1], &a = in[2], &bs = in[3], &cs = in[4], &ds = in[5], &bias = in[6];
  const long long B = u.dims[0], D = u.dims[1], L = u.dims[2], N = a.dims[1], G = bs.dims[1];
  if (!same_dims(delta, u)) {
    Message m = shape_message(kOp1D, "delta", delta);
    return shape_error(api, add_shape(m.add(" must have the shape of u "), u));
  }
  if (a.dims[0] != D) return shape_error(api, shape_message(kOp1D, "A", a).add(" must be (D, N) with D = %lld", D));
  if (bs.dims[0] != B || bs.dims[2] != N || bs.dims[3] != L) {
    return shape_error(api, shape_message(kOp1D, "Bs", bs).add(" must be (B, G, N, L) = (%lld, G, %lld, %lld)", B, N, L));
  }
  if (!same_dims(cs, bs)) {
    Message m = shape_message(kOp1D, "Cs", cs);
    return shape_error(api, add_shape(m.add(" must have the shape of Bs "), bs));
  }
  if (G <= 0 || D % G != 0) {
    return shape_error(api, Message().add("%s: the group count G = %lld of Bs must divide D = %lld", kOp1D, G, D));
  }
  if (ds.dims[0] != D) return shape_error(api, shape_message(kOp1D, "Ds", ds).add(" must be (D) with D = %lld", D));
  if (bias.dims[0] != D) {
    return shape_error(api, shape_message(kOp1D, "delta_bias", bias).add(" must be (D) with D = %lld", D));
  }
  return nullptr;
}

// What the parallel slots of one call share.
template <typename Problem>
struct Call {
  const Problem* problem;
  const mambair::ScanPlan* plan;
  void* scratch;
};

void run_slot_1d(void* call, size_t slot) {
  const auto& c = *static_cast<const Call<mambair::ScanProblem>*>(call);
  mambair::scan_run_slot(*c.problem, *c.plan, c.scratch, static_cast<int64_t>(slot));
}

void run_slot_2d(void* call, size_t slot) {
  const auto& c = *static_cast<const Call<mambair::Scan2DProblem>*>(call);
  mambair::scan2d_run_slot(*c.problem, *c.plan, c.scratch, static_cast<int64_t>(slot));
}

void run_merge_2d(void* call, size_t item) {
  const auto& c = *static_cast<const Call<mambair::Scan2DProblem>*>(call);
  mambair::scan2d_merge_item(*c.problem, *c.plan, c.scratch, static_cast<int64_t>(item));
}

// Runs the plan's slots, then its merge items, on ORT's intra-op threads with one scratch allocation for the call.
template <typename Problem>
OrtStatus* run_plan(const OrtApi* api, OrtKernelContext* context, const char* op, const Problem& problem,
                    const mambair::ScanPlan& plan, void (*fn)(void*, size_t), void (*merge)(void*, size_t)) {
  if (plan.bytes == 0) {
    return error(api, ORT_INVALID_ARGUMENT, Message().add("%s: the inputs are too large to scan", op));
  }
  void* scratch = allocate_scratch(plan.bytes);
  if (scratch == nullptr) {
    return error(api, ORT_FAIL, Message().add("%s: cannot allocate %zu bytes of scratch memory (%lld slots of %zu)", op,
                                              plan.bytes, static_cast<long long>(plan.slots), plan.slot_bytes));
  }
  Call<Problem> call{&problem, &plan, scratch};
  OrtStatus* status = api->KernelContext_ParallelFor(context, fn, static_cast<size_t>(plan.slots), 0, &call);
  if (status == nullptr && plan.merges > 0) {
    status = api->KernelContext_ParallelFor(context, merge, static_cast<size_t>(plan.merges), 0, &call);
  }
  free(scratch);
  return status;
}

OrtStatus* compute_1d(const OrtApi* api, OrtKernelContext* context) {
  static constexpr size_t kRanks[kInputCount] = {3, 3, 2, 4, 4, 1, 1};
  Tensor in[kInputCount];
  for (size_t i = 0; i < kInputCount; ++i) {
    if (OrtStatus* status = read_input(api, context, kOp1D, i, kRanks[i], &in[i])) return status;
  }
  if (OrtStatus* status = check_shapes(api, in)) return status;

  OrtValue* output = nullptr;
  if (OrtStatus* status = api->KernelContext_GetOutput(context, 0, in[0].dims, 3, &output)) return status;
  void* y = nullptr;
  if (OrtStatus* status = api->GetTensorMutableData(output, &y)) return status;

  mambair::ScanProblem problem{in[0].dims[0], in[0].dims[1], in[2].dims[1], in[3].dims[1], in[0].dims[2],
                               in[0].data,    in[1].data,    in[2].data,    in[3].data,    in[4].data,
                               in[5].data,    in[6].data,    static_cast<float*>(y)};
  if (problem.batch * problem.channels * problem.length == 0) return nullptr;
  return run_plan(api, context, kOp1D, problem, mambair::scan_plan(problem), run_slot_1d, nullptr);
}

OrtStatus* check_shapes_2d(const OrtApi* api, const Tensor* in) {
  const Tensor &u = in[0], &delta = in[1], &a = in[2], &bs = in[3], &cs = in[4], &ds = in[5], &bias = in[6];
  const long long B = u.dims[0], E = u.dims[1], L = u.dims[2] * u.dims[3], N = a.dims[1];
  if (delta.dims[0] != B || delta.dims[1] != 4 || delta.dims[2] != E || delta.dims[3] != L) {
    Message m = shape_message(kOp2D, "delta", delta);
    m.add(" must be (B, 4, E, H*W) = (%lld, 4, %lld, %lld) for u ", B, E, L);
    return shape_error(api, add_shape(m, u));
  }
  if (a.dims[0] != 4 * E) return shape_error(api, shape_message(kOp2D, "A", a).add(" must be (4E, N) with 4E = %lld", 4 * E));
  const Tensor* grids[2] = {&bs, &cs};
  for (const Tensor* t : grids) {
    if (t->dims[0] != B || t->dims[1] != 4 || t->dims[2] != N || t->dims[3] != L) {
      return shape_error(api, shape_message(kOp2D, t == &bs ? "Bs" : "Cs", *t)
                                  .add(" must be (B, 4, N, H*W) = (%lld, 4, %lld, %lld)", B, N, L));
    }
  }
  const Tensor* vectors[2] = {&ds, &bias};
  for (const Tensor* t : vectors) {
    if (t->dims[0] != 4 * E) {
      return shape_error(api, shape_message(kOp2D, t == &ds ? "Ds" : "delta_bias", *t)
                                  .add(" must be (4E) with 4E = %lld", 4 * E));
    }
  }
  return nullptr;
}

OrtStatus* compute_2d(const OrtApi* api, OrtKernelContext* context) {
  static constexpr size_t kRanks[kInputCount] = {4, 4, 2, 4, 4, 1, 1};
  Tensor in[kInputCount];
  for (size_t i = 0; i < kInputCount; ++i) {
    if (OrtStatus* status = read_input(api, context, kOp2D, i, kRanks[i], &in[i])) return status;
  }
  if (OrtStatus* status = check_shapes_2d(api, in)) return status;

  const int64_t* u = in[0].dims;
  const int64_t y_dims[4] = {u[0], u[2], u[3], u[1]};
  OrtValue* output = nullptr;
  if (OrtStatus* status = api->KernelContext_GetOutput(context, 0, y_dims, 4, &output)) return status;
  void* y = nullptr;
  if (OrtStatus* status = api->GetTensorMutableData(output, &y)) return status;
  if (u[0] * u[1] * u[2] * u[3] == 0) return nullptr;

  mambair::Scan2DProblem problem{u[0],       u[1],       in[2].dims[1], u[2],       u[3],
                                 in[0].data, in[1].data, in[2].data,    in[3].data, in[4].data,
                                 in[5].data, in[6].data, static_cast<float*>(y)};
  return run_plan(api, context, kOp2D, problem, mambair::scan2d_plan(problem), run_slot_2d, run_merge_2d);
}

// One operator's description handed to ORT, with what its callbacks need: the api pointer (for the
// callbacks that get no kernel) and the operator's own type and computation.
struct ScanOp {
  OrtCustomOp base;
  const OrtApi* api;
  const char* type;
  OrtStatus* (*compute)(const OrtApi* api, OrtKernelContext* context);
};

const ScanOp& op_of(const OrtCustomOp* op) { return *reinterpret_cast<const ScanOp*>(op); }

struct Kernel {
  const OrtApi* api;
  const ScanOp* op;
};

OrtStatus* compute(void* kernel, OrtKernelContext* context) {
  const Kernel& k = *static_cast<Kernel*>(kernel);
  return k.op->compute(k.api, context);
}

OrtStatus* create_kernel(const OrtCustomOp* op, const OrtApi* api, const OrtKernelInfo*, void** kernel) {
  const OrtApi* kernel_api = api != nullptr ? api : op_of(op).api;
  Kernel* created = static_cast<Kernel*>(malloc(sizeof(Kernel)));
  if (created == nullptr) {
    return error(kernel_api, ORT_FAIL, Message().add("%s: cannot allocate its kernel", op_of(op).type));
  }
  *created = Kernel{kernel_api, &op_of(op)};
  *kernel = created;
  return nullptr;
}

void destroy_kernel(void* kernel) { free(kernel); }

// No output-shape hint: ORT reused buffers across scans of different lengths in the UNet when there was one.
ScanOp make_op(const OrtApi* api, const char* type, OrtStatus* (*run)(const OrtApi*, OrtKernelContext*)) {
  ScanOp op{};
  OrtCustomOp& o = op.base;
  o.version = MAMBAIR_ORT_API_VERSION;
  o.GetName = [](const OrtCustomOp* self) { return op_of(self).type; };
  o.GetExecutionProviderType = [](const OrtCustomOp*) -> const char* { return nullptr; };  // CPU
  o.GetInputType = [](const OrtCustomOp*, size_t) { return ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT; };
  o.GetInputTypeCount = [](const OrtCustomOp*) { return kInputCount; };
  o.GetOutputType = [](const OrtCustomOp*, size_t) { return ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT; };
  o.GetOutputTypeCount = [](const OrtCustomOp*) { return size_t{1}; };
  o.KernelDestroy = destroy_kernel;
  o.GetInputCharacteristic = [](const OrtCustomOp*, size_t) { return INPUT_OUTPUT_REQUIRED; };
  o.GetOutputCharacteristic = [](const OrtCustomOp*, size_t) { return INPUT_OUTPUT_REQUIRED; };
  o.GetInputMemoryType = [](const OrtCustomOp*, size_t) { return OrtMemTypeDefault; };
  o.GetVariadicInputMinArity = [](const OrtCustomOp*) { return 1; };
  o.GetVariadicInputHomogeneity = [](const OrtCustomOp*) { return 1; };
  o.GetVariadicOutputMinArity = [](const OrtCustomOp*) { return 1; };
  o.GetVariadicOutputHomogeneity = [](const OrtCustomOp*) { return 1; };
  o.CreateKernelV2 = create_kernel;
  o.KernelComputeV2 = compute;
  o.GetStartVersion = [](const OrtCustomOp*) { return 1; };
  o.GetEndVersion = [](const OrtCustomOp*) { return INT_MAX; };
  op.api = api;
  op.type = type;
  op.compute = run;
  return op;
}

// One domain for the process: sessions only reference it, so it must outlive them all and is never freed.
// Guarded by a spin lock (registration is rare and short; no libpthread symbols needed).
OrtCustomOpDomain* g_domain;
ScanOp g_ops[2];
bool g_domain_lock;

OrtStatus* create_domain(const OrtApiBase* api_base, const OrtApi* api) {
  g_ops[0] = make_op(api, kOp1D, compute_1d);
  g_ops[1] = make_op(api, kOp2D, compute_2d);
  OrtCustomOpDomain* created = nullptr;
  if (OrtStatus* status = api->CreateCustomOpDomain(kDomain, &created)) return status;
  for (const ScanOp& op : g_ops) {
    if (OrtStatus* status = api->CustomOpDomain_Add(created, &op.base)) return status;
  }
  if (OrtStatus* status = mambair_cuda_add_ops(api_base, api, created)) return status;  // SelectiveScan2D on CUDA
  g_domain = created;
  return nullptr;
}

OrtStatus* shared_domain(const OrtApiBase* api_base, const OrtApi* api, OrtCustomOpDomain** out) {
  while (__atomic_test_and_set(&g_domain_lock, __ATOMIC_ACQUIRE)) {
  }
  OrtStatus* status = g_domain == nullptr ? create_domain(api_base, api) : nullptr;
  *out = g_domain;
  __atomic_clear(&g_domain_lock, __ATOMIC_RELEASE);
  return status;
}

}  // namespace

// Entry point called by OrtSessionOptions registerCustomOpLibrary / RegisterCustomOpsLibrary.
extern "C" __attribute__((visibility("default"))) OrtStatus* RegisterCustomOps(OrtSessionOptions* options,
                                                                              const OrtApiBase* api_base) {
  const OrtApi* api = api_base->GetApi(MAMBAIR_ORT_API_VERSION);
  if (api == nullptr) {
    const OrtApi* oldest = api_base->GetApi(1);
    Message m;
    m.add("libmambair_scan needs ONNX Runtime 1.17 or newer (C API version %d), this is %s", MAMBAIR_ORT_API_VERSION,
          api_base->GetVersionString());
    return oldest != nullptr ? oldest->CreateStatus(ORT_FAIL, m.text) : nullptr;
  }
  if (g_load_error[0] != '\0') return api->CreateStatus(ORT_FAIL, g_load_error);
  OrtCustomOpDomain* domain = nullptr;
  if (OrtStatus* status = shared_domain(api_base, api, &domain)) return status;
  return api->AddCustomOpDomain(options, domain);
}
