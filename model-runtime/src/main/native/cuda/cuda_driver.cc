#include "cuda_driver.h"
#include "glibc_floor.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

namespace {

CudaDriver driver;
const CudaDriver* opened = nullptr;
char open_error[512] = "";
pthread_once_t once = PTHREAD_ONCE_INIT;

template <typename F>
void bind_optional(void* library, const char* name, F* slot) {
  *slot = reinterpret_cast<F>(dlsym(library, name));
}

template <typename F>
bool bind(void* library, const char* name, F* slot) {
  void* symbol = dlsym(library, name);
  if (symbol == nullptr) {
    snprintf(open_error, sizeof open_error, "libcuda.so.1 has no %s (driver too old?)", name);
    return false;
  }
  *slot = reinterpret_cast<F>(symbol);
  return true;
}

void open_driver() {
  void* library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* reason = dlerror();
    snprintf(open_error, sizeof open_error, "cannot open libcuda.so.1, the NVIDIA driver library (%s)",
             reason != nullptr ? reason : "no reason given");
    return;
  }
  CudaDriver d{};
  if (!bind(library, "cuInit", &d.cuInit) || !bind(library, "cuGetErrorString", &d.cuGetErrorString) ||
      !bind(library, "cuCtxGetCurrent", &d.cuCtxGetCurrent) ||
      !bind(library, "cuCtxPushCurrent_v2", &d.cuCtxPushCurrent) ||
      !bind(library, "cuCtxPopCurrent_v2", &d.cuCtxPopCurrent) ||
      !bind(library, "cuStreamGetCtx", &d.cuStreamGetCtx) ||
      !bind(library, "cuModuleLoadDataEx", &d.cuModuleLoadDataEx) ||
      !bind(library, "cuModuleGetFunction", &d.cuModuleGetFunction) ||
      !bind(library, "cuLaunchKernel", &d.cuLaunchKernel) ||
      !bind(library, "cuStreamSynchronize", &d.cuStreamSynchronize)) {
    dlclose(library);
    return;
  }
  bind_optional(library, "cuMemAllocAsync", &d.cuMemAllocAsync);
  bind_optional(library, "cuMemFreeAsync", &d.cuMemFreeAsync);
  if ((d.cuMemAllocAsync == nullptr) != (d.cuMemFreeAsync == nullptr)) {
    d.cuMemAllocAsync = nullptr;
    d.cuMemFreeAsync = nullptr;
  }
  const CUresult init = d.cuInit(0);
  if (init != 0) {
    cuda_describe(d, "cuInit", init, open_error, sizeof open_error);
    return;
  }
  driver = d;
  opened = &driver;  // the library stays open for the life of the process
}

}  // namespace

const CudaDriver* cuda_driver(const char** error) {
  pthread_once(&once, open_driver);
  if (opened == nullptr && error != nullptr) *error = open_error;
  return opened;
}

bool cuda_sticky(CUresult result) {
  switch (result) {
    case 214:  // CUDA_ERROR_ECC_UNCORRECTABLE
    case 700:  // CUDA_ERROR_ILLEGAL_ADDRESS
    case 702:  // CUDA_ERROR_LAUNCH_TIMEOUT
    case 710:  // CUDA_ERROR_ASSERT
    case 714:  // CUDA_ERROR_HARDWARE_STACK_ERROR
    case 715:  // CUDA_ERROR_ILLEGAL_INSTRUCTION
    case 716:  // CUDA_ERROR_MISALIGNED_ADDRESS
    case 717:  // CUDA_ERROR_INVALID_ADDRESS_SPACE
    case 718:  // CUDA_ERROR_INVALID_PC
    case 719:  // CUDA_ERROR_LAUNCH_FAILED
      return true;
    default:
      return false;
  }
}

void cuda_describe(const CudaDriver& d, const char* call, CUresult result, char* buffer, size_t size) {
  const char* text = nullptr;
  if (d.cuGetErrorString == nullptr || d.cuGetErrorString(result, &text) != 0 || text == nullptr) text = "unknown";
  snprintf(buffer, size, "%s%s failed: %s (code %d)", cuda_sticky(result) ? "CUDA device fault: " : "", call, text,
           result);
}
