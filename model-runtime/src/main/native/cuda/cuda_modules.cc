#include "cuda_modules.h"
#include "glibc_floor.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

namespace {

constexpr int kMaxContexts = 64;
constexpr size_t kJitLogBytes = 2048;

struct Entry {
  CUcontext context;
  bool loaded;  // false: the JIT failed, error says why
  CudaKernels kernels;
  char error[1400];
};

pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
Entry entries[kMaxContexts];
int count = 0;

// Loads ptx into the current context and resolves every kernel; fills entry.
void load(const CudaDriver& cu, const char* ptx, Entry& entry) {
  char log[kJitLogBytes] = "";
  CUjit_option keys[2] = {kCuJitErrorLogBuffer, kCuJitErrorLogBufferSizeBytes};
  void* values[2] = {log, reinterpret_cast<void*>(sizeof log)};
  CUmodule module = nullptr;
  const CUresult r = cu.cuModuleLoadDataEx(&module, ptx, 2, keys, values);
  if (r != 0) {
    char call[96];
    cuda_describe(cu, "cuModuleLoadDataEx (PTX JIT)", r, call, sizeof call);
    log[sizeof log - 1] = '\0';
    for (char* c = log; *c != '\0'; ++c) {
      if (*c == '\n' || *c == '\r') *c = ' ';  // one line
    }
    snprintf(entry.error, sizeof entry.error, "%s; JIT log: %s (not retried for this CUDA context)", call,
             log[0] != '\0' ? log : "empty");
    return;
  }
  for (int i = 0; i < kMambairScan2DKernels; ++i) {
    const CUresult f = cu.cuModuleGetFunction(&entry.kernels.functions[i], module, kMambairScan2DKernelNames[i]);
    if (f != 0) {
      char call[160];
      snprintf(call, sizeof call, "cuModuleGetFunction(%s)", kMambairScan2DKernelNames[i]);
      cuda_describe(cu, call, f, entry.error, sizeof entry.error);
      return;
    }
  }
  entry.loaded = true;
}

}  // namespace

const CudaKernels* cuda_kernels_for(const CudaDriver& cu, CUcontext context, const char* ptx, char* error,
                                    size_t error_size) {
  pthread_mutex_lock(&mutex);
  Entry* entry = nullptr;
  for (int i = 0; i < count && entry == nullptr; ++i) {
    if (entries[i].context == context) entry = &entries[i];
  }
  if (entry == nullptr && count < kMaxContexts) {
    entry = &entries[count++];
    memset(entry, 0, sizeof *entry);
    entry->context = context;
    load(cu, ptx, *entry);
  }
  const CudaKernels* kernels = nullptr;
  if (entry == nullptr) {
    snprintf(error, error_size, "more than %d CUDA contexts in this process", kMaxContexts);
  } else if (!entry->loaded) {
    snprintf(error, error_size, "%s", entry->error);
  } else {
    kernels = &entry->kernels;
  }
  pthread_mutex_unlock(&mutex);
  return kernels;
}

CUfunction cuda_kernel(const CudaKernels& kernels, const char* name) {
  for (int i = 0; i < kMambairScan2DKernels; ++i) {
    if (strcmp(kMambairScan2DKernelNames[i], name) == 0) return kernels.functions[i];
  }
  return nullptr;
}
