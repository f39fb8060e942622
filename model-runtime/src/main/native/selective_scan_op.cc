// ONNX Runtime custom operators of domain io.mambair (since version 1), CPU, float32:
// - SelectiveScan: inputs u (B, D, L), delta (B, D, L), A (D, N), Bs (B, G, N, L), Cs (B, G, N, L), Ds (D),
//   delta_bias (D); output y (B, D, L).
// - SelectiveScan2D: SS2D's four-direction scan with the merge; inputs u (B, E, H, W), delta (B, 4, E, H*W),
//   A (4E, N), Bs (B, 4, N, H*W), Cs (B, 4, N, H*W), Ds (4E), delta_bias (4E); output y (B, H, W, E).
// The work is spread over ONNX Runtime's intra-op thread pool.
#include <limits.h>

#include <exception>
#include <memory>
#include <mutex>
#include <string>

#include "cuda/scan2d_cuda_op.h"
#include "ort_custom_op_abi.h"
#include "selective_scan_kernel.h"

namespace {

constexpr const char* kDomain = "io.mambair";
constexpr size_t kInputCount = 7;  // both operators
constexpr const char* kInputNames[kInputCount] = {"u", "delta", "A", "Bs", "Cs", "Ds", "delta_bias"};

// A float tensor input: data and dims.
struct Tensor {
  const float* data = nullptr;
  int64_t dims[4] = {0, 0, 0, 0};
  size_t rank = 0;
};

std::string shape_text(const Tensor& t) {
  std::string text = "(";
  for (size_t i = 0; i < t.rank; ++i) text += (i ? ", " : "") + std::to_string(t.dims[i]);
  return text + ")";
}

OrtStatus* read_input(const OrtApi* api, OrtKernelContext* context, const char* op, size_t index, size_t rank,
                      Tensor* out) {
  const OrtValue* value = nullptr;
  if (OrtStatus* status = api->KernelContext_GetInput(context, index, &value)) return status;
  if (value == nullptr) {
    return api->CreateStatus(ORT_INVALID_ARGUMENT,
                             (std::string(op) + ": input " + kInputNames[index] + " is missing").c_str());
  }
  OrtTensorTypeAndShapeInfo* info = nullptr;
  if (OrtStatus* status = api->GetTensorTypeAndShape(value, &info)) return status;
  size_t actual_rank = 0;
  OrtStatus* status = api->GetDimensionsCount(info, &actual_rank);
  if (status == nullptr && actual_rank != rank) {
    status = api->CreateStatus(ORT_INVALID_ARGUMENT,
                               (std::string(op) + ": input " + kInputNames[index] + " must have rank " +
                                std::to_string(rank) + ", got rank " + std::to_string(actual_rank)).c_str());
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

OrtStatus* shape_error(const OrtApi* api, const std::string& message, const char* op = "SelectiveScan") {
  return api->CreateStatus(ORT_INVALID_ARGUMENT, (op + (": " + message)).c_str());
}

std::string dim_text(int64_t value) { return std::to_string(value); }

OrtStatus* check_shapes(const OrtApi* api, const Tensor* in) {
  const Tensor &u = in[0], &delta = in[1], &a = in[2], &bs = in[3], &cs = in[4], &ds = in[5], &bias = in[6];
  const int64_t B = u.dims[0], D = u.dims[1], L = u.dims[2], N = a.dims[1], G = bs.dims[1];
  if (delta.dims[0] != B || delta.dims[1] != D || delta.dims[2] != L) {
    return shape_error(api, "delta " + shape_text(delta) + " must have the shape of u " + shape_text(u));
  }
  if (a.dims[0] != D) return shape_error(api, "A " + shape_text(a) + " must be (D, N) with D = " + std::to_string(D));
  if (bs.dims[0] != B || bs.dims[2] != N || bs.dims[3] != L) {
    return shape_error(api, "Bs " + shape_text(bs) + " must be (B, G, N, L) = (" + std::to_string(B) + ", G, " +
                                std::to_string(N) + ", " + std::to_string(L) + ")");
  }
  for (int i = 0; i < 4; ++i) {
    if (cs.dims[i] != bs.dims[i]) {
      return shape_error(api, "Cs " + shape_text(cs) + " must have the shape of Bs " + shape_text(bs));
    }
  }
  if (G <= 0 || D % G != 0) {
    return shape_error(api, "the group count G = " + std::to_string(G) + " of Bs must divide D = " +
                                std::to_string(D));
  }
  if (ds.dims[0] != D) return shape_error(api, "Ds " + shape_text(ds) + " must be (D) with D = " + std::to_string(D));
  if (bias.dims[0] != D) {
    return shape_error(api, "delta_bias " + shape_text(bias) + " must be (D) with D = " + std::to_string(D));
  }
  return nullptr;
}

void run_item(void* problem, size_t item) {
  mambair::scan_work_item(*static_cast<const mambair::ScanProblem*>(problem), static_cast<int64_t>(item));
}

OrtStatus* compute_checked(const OrtApi* api, OrtKernelContext* context) {
  static constexpr size_t kRanks[kInputCount] = {3, 3, 2, 4, 4, 1, 1};
  Tensor in[kInputCount];
  for (size_t i = 0; i < kInputCount; ++i) {
    if (OrtStatus* status = read_input(api, context, "SelectiveScan", i, kRanks[i], &in[i])) return status;
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
  const int64_t items = mambair::scan_work_items(problem);
  return api->KernelContext_ParallelFor(context, run_item, static_cast<size_t>(items), 0, &problem);
}

constexpr const char* kOp2D = "SelectiveScan2D";

OrtStatus* check_shapes_2d(const OrtApi* api, const Tensor* in) {
  const Tensor &u = in[0], &delta = in[1], &a = in[2], &bs = in[3], &cs = in[4], &ds = in[5], &bias = in[6];
  const int64_t B = u.dims[0], E = u.dims[1], L = u.dims[2] * u.dims[3], N = a.dims[1];
  const std::string grid = "(" + dim_text(B) + ", 4, ";
  if (delta.dims[0] != B || delta.dims[1] != 4 || delta.dims[2] != E || delta.dims[3] != L) {
    return shape_error(api, "delta " + shape_text(delta) + " must be (B, 4, E, H*W) = " + grid + dim_text(E) + ", " +
                                dim_text(L) + ") for u " + shape_text(u), kOp2D);
  }
  if (a.dims[0] != 4 * E) {
    return shape_error(api, "A " + shape_text(a) + " must be (4E, N) with 4E = " + dim_text(4 * E), kOp2D);
  }
  for (const Tensor* t : {&bs, &cs}) {
    if (t->dims[0] != B || t->dims[1] != 4 || t->dims[2] != N || t->dims[3] != L) {
      return shape_error(api, std::string(t == &bs ? "Bs " : "Cs ") + shape_text(*t) + " must be (B, 4, N, H*W) = " +
                                  grid + dim_text(N) + ", " + dim_text(L) + ")", kOp2D);
    }
  }
  for (const Tensor* t : {&ds, &bias}) {
    if (t->dims[0] != 4 * E) {
      return shape_error(api, std::string(t == &ds ? "Ds " : "delta_bias ") + shape_text(*t) +
                                  " must be (4E) with 4E = " + dim_text(4 * E), kOp2D);
    }
  }
  return nullptr;
}

void run_2d_item(void* problem, size_t item) {
  mambair::scan2d_work_item(*static_cast<const mambair::Scan2DProblem*>(problem), static_cast<int64_t>(item));
}

void run_2d_merge_item(void* problem, size_t item) {
  mambair::scan2d_merge_item(*static_cast<const mambair::Scan2DProblem*>(problem), static_cast<int64_t>(item));
}

OrtStatus* compute_2d_checked(const OrtApi* api, OrtKernelContext* context) {
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
  const int64_t size = u[0] * u[1] * u[2] * u[3];
  if (size == 0) return nullptr;
  std::unique_ptr<float[]> y_columns(new float[size]);

  mambair::Scan2DProblem problem{u[0],       u[1],       in[2].dims[1], u[2],       u[3],
                                 in[0].data, in[1].data, in[2].data,    in[3].data, in[4].data,
                                 in[5].data, in[6].data, static_cast<float*>(y), y_columns.get()};
  const auto scans = static_cast<size_t>(mambair::scan2d_work_items(problem));
  if (OrtStatus* status = api->KernelContext_ParallelFor(context, run_2d_item, scans, 0, &problem)) return status;
  const auto merges = static_cast<size_t>(mambair::scan2d_merge_items(problem));
  return api->KernelContext_ParallelFor(context, run_2d_merge_item, merges, 0, &problem);
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
  try {
    return k.op->compute(k.api, context);
  } catch (const std::exception& e) {  // no C++ exception may cross into ORT
    return k.api->CreateStatus(ORT_FAIL, (std::string(k.op->type) + ": " + e.what()).c_str());
  }
}

OrtStatus* create_kernel(const OrtCustomOp* op, const OrtApi* api, const OrtKernelInfo*, void** kernel) {
  *kernel = new Kernel{api != nullptr ? api : op_of(op).api, &op_of(op)};
  return nullptr;
}

void destroy_kernel(void* kernel) { delete static_cast<Kernel*>(kernel); }

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
OrtStatus* shared_domain(const OrtApi* api, OrtCustomOpDomain** out) {
  static std::mutex mutex;
  static OrtCustomOpDomain* domain = nullptr;
  static ScanOp ops[2];
  std::lock_guard<std::mutex> lock(mutex);
  if (domain == nullptr) {
    ops[0] = make_op(api, "SelectiveScan", compute_checked);
    ops[1] = make_op(api, kOp2D, compute_2d_checked);
    OrtCustomOpDomain* created = nullptr;
    if (OrtStatus* status = api->CreateCustomOpDomain(kDomain, &created)) return status;
    for (const ScanOp& op : ops) {
      if (OrtStatus* status = api->CustomOpDomain_Add(created, &op.base)) return status;
    }
    if (OrtStatus* status = mambair_cuda_add_ops(api, created)) return status;  // SelectiveScan2D on CUDA
    domain = created;
  }
  *out = domain;
  return nullptr;
}

}  // namespace

// Entry point called by OrtSessionOptions registerCustomOpLibrary / RegisterCustomOpsLibrary.
extern "C" __attribute__((visibility("default"))) OrtStatus* RegisterCustomOps(OrtSessionOptions* options,
                                                                              const OrtApiBase* api_base) {
  const OrtApi* api = api_base->GetApi(MAMBAIR_ORT_API_VERSION);
  if (api == nullptr) {
    const OrtApi* oldest = api_base->GetApi(1);
    std::string message = std::string("libmambair_scan needs ONNX Runtime 1.17 or newer (C API version ") +
                          std::to_string(MAMBAIR_ORT_API_VERSION) + "), this is " + api_base->GetVersionString();
    return oldest != nullptr ? oldest->CreateStatus(ORT_FAIL, message.c_str()) : nullptr;
  }
  OrtCustomOpDomain* domain = nullptr;
  if (OrtStatus* status = shared_domain(api, &domain)) return status;
  return api->AddCustomOpDomain(options, domain);
}
