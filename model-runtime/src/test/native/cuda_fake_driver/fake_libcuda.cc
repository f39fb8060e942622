// A stand-in libcuda.so.1 for testing the CUDA SelectiveScan2D launcher (and gpu/launcher_check.py) without a GPU.
// "Device" memory is host memory. It keeps the driver's rules the launcher depends on: a per-thread context stack;
// context-dependent calls fail with CUDA_ERROR_INVALID_CONTEXT (201) when none is current; a module belongs to the
// context current at load; a launch with a function of another context's module or a stream of another context
// fails with CUDA_ERROR_INVALID_HANDLE (400); a sticky error makes every later call fail with it. Launches run at
// once through the host emulator of the kernels (src/test/native/cuda_emulator), one at a time, so streams are
// always idle.
// Built by CudaLauncherProtocolTest; -DFAKE_CUDA_STREAM_ORDERED_ALLOC adds cuMemAllocAsync/cuMemFreeAsync.
// Faults, from the environment: FAKE_CUDA_JIT_FAIL=1 (every PTX load fails with a JIT log);
// FAKE_CUDA_LAUNCH_ERROR=code@n (the n-th launch of the process returns code; a sticky code stays).
// fake_cuda_count(name) reports how often "load", "get_function", "launch", "alloc_async", "free_async" and
// "stream_sync" happened.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define main mambair_emulator_main
#include "scan2d_emulator.cc"
#undef main

namespace fake {
struct Context { int device; };
struct Module { Context* context; };
struct Function { Module* module; char name[96]; };
struct Stream { Context* context; };

Context primary[2] = {{0}, {1}};
thread_local Context* stack[16];
thread_local int depth = 0;
pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
int sticky = 0;
long counts[6];
const char* const kCounted[6] = {"load", "get_function", "launch", "alloc_async", "free_async", "stream_sync"};

Context* current_context() { return depth > 0 ? stack[depth - 1] : nullptr; }
void count(int i) {
  pthread_mutex_lock(&mutex);
  ++counts[i];
  pthread_mutex_unlock(&mutex);
}
}  // namespace fake

using namespace fake;

extern "C" {
typedef int CUresult;
typedef unsigned long long CUdeviceptr;

long fake_cuda_count(const char* name) {
  for (int i = 0; i < 6; ++i) {
    if (strcmp(kCounted[i], name) == 0) return counts[i];
  }
  return -1;
}

CUresult cuInit(unsigned) { return 0; }
CUresult cuDriverGetVersion(int* version) { *version = 13000; return 0; }
CUresult cuGetErrorString(CUresult e, const char** s) {
  switch (e) {
    case 1: *s = "invalid argument"; return 0;
    case 2: *s = "out of memory"; return 0;
    case 201: *s = "invalid device context"; return 0;
    case 218: *s = "a PTX JIT compilation failed"; return 0;
    case 400: *s = "invalid resource handle"; return 0;
    case 500: *s = "named symbol not found"; return 0;
    case 700: *s = "an illegal memory access was encountered"; return 0;
    case 701: *s = "too many resources requested for launch"; return 0;
    default: *s = "unknown error"; return 0;
  }
}
CUresult cuDeviceGet(int* device, int ordinal) { if (ordinal < 0 || ordinal > 1) return 101; *device = ordinal; return 0; }
CUresult cuDeviceGetName(char* name, int size, int device) { snprintf(name, size, "fake GPU %d", device); return 0; }
CUresult cuDevicePrimaryCtxRetain(Context** c, int device) { *c = &primary[device]; return 0; }
CUresult cuCtxCreate_v2(Context** c, unsigned, int device) {
  *c = new Context{device};
  if (depth < 16) stack[depth++] = *c;  // the new context is pushed, as by the driver
  return 0;
}
CUresult cuCtxGetCurrent(Context** c) { *c = current_context(); return 0; }
CUresult cuCtxSetCurrent(Context* c) {
  if (depth == 0) stack[depth++] = c; else stack[depth - 1] = c;
  if (c == nullptr) --depth;
  return 0;
}
CUresult cuCtxPushCurrent_v2(Context* c) { if (c == nullptr || depth == 16) return 1; stack[depth++] = c; return 0; }
CUresult cuCtxPopCurrent_v2(Context** c) {
  if (depth == 0) return 201;
  Context* top = stack[--depth];
  if (c != nullptr) *c = top;
  return 0;
}
CUresult cuCtxSynchronize() { return sticky ? sticky : current_context() ? 0 : 201; }
CUresult cuStreamCreate(Stream** s, unsigned) { if (!current_context()) return 201; *s = new Stream{current_context()}; return 0; }
CUresult cuStreamGetCtx(Stream* s, Context** c) { if (s == nullptr) return 400; *c = s->context; return 0; }
CUresult cuStreamSynchronize(Stream*) { count(5); return sticky; }
CUresult cuStreamQuery(Stream*) { return sticky; }
CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t n) {
  if (!current_context()) return 201;
  void* m = aligned_alloc(256, (n + 255) / 256 * 256);
  if (m == nullptr) return 2;
  *p = reinterpret_cast<CUdeviceptr>(m);
  return 0;
}
CUresult cuMemFree_v2(CUdeviceptr p) { free(reinterpret_cast<void*>(p)); return 0; }
#ifdef FAKE_CUDA_STREAM_ORDERED_ALLOC
CUresult cuMemAllocAsync(CUdeviceptr* p, size_t n, Stream* s) {
  if (!current_context() || (s != nullptr && s->context != current_context())) return 201;
  count(3);
  return cuMemAlloc_v2(p, n);
}
CUresult cuMemFreeAsync(CUdeviceptr p, Stream*) { count(4); return cuMemFree_v2(p); }
#endif
CUresult cuMemcpyHtoD_v2(CUdeviceptr d, const void* s, size_t n) { if (!current_context()) return 201; memcpy(reinterpret_cast<void*>(d), s, n); return 0; }
CUresult cuMemcpyDtoH_v2(void* d, CUdeviceptr s, size_t n) { if (!current_context()) return 201; memcpy(d, reinterpret_cast<void*>(s), n); return 0; }
CUresult cuMemsetD32_v2(CUdeviceptr d, unsigned v, size_t n) {
  if (!current_context()) return 201;
  for (size_t i = 0; i < n; ++i) reinterpret_cast<unsigned*>(d)[i] = v;
  return 0;
}

CUresult cuModuleLoadDataEx(Module** m, const void* image, unsigned n, int* keys, void** values) {
  if (!current_context()) return 201;
  count(0);
  if (strstr(static_cast<const char*>(image), ".entry mambair_scan2d_merge(") == nullptr) return 200;
  if (getenv("FAKE_CUDA_JIT_FAIL") != nullptr) {
    for (unsigned i = 0; i + 1 < n; ++i) {
      if (keys[i] == 5 && keys[i + 1] == 6) {
        snprintf(static_cast<char*>(values[i]), reinterpret_cast<size_t>(values[i + 1]),
                 "ptxas fatal   : fake JIT failure\nline 2 of the log");
      }
    }
    return 218;
  }
  *m = new Module{current_context()};
  return 0;
}
CUresult cuModuleGetFunction(Function** f, Module* m, const char* name) {
  if (!current_context()) return 201;
  count(1);
  *f = new Function{m, {0}};
  snprintf((*f)->name, sizeof (*f)->name, "%s", name);
  return 0;
}
CUresult cuLaunchKernel(Function* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, Stream* s, void** params, void** extra) {
  if (sticky) return sticky;
  Context* c = current_context();
  if (c == nullptr) return 201;
  if (f == nullptr || f->module->context != c || (s != nullptr && s->context != c)) return 400;
  if (params == nullptr || extra != nullptr || shared != 0 || (unsigned long long)bx * by * bz > 1024) return 1;
  count(2);
  if (const char* spec = getenv("FAKE_CUDA_LAUNCH_ERROR")) {
    int code = 0;
    long at = 0;
    if (sscanf(spec, "%d@%ld", &code, &at) == 2 && counts[2] == at) {
      // the driver's sticky codes (cuda_sticky in cuda_driver.cc lists the same): every later call fails with it
      if (code == 214 || code == 700 || code == 702 || code == 710 || (code >= 714 && code <= 719)) sticky = code;
      return code;
    }
  }
  MambairLaunch l{};
  l.kernel = f->name;
  l.grid[0] = gx; l.grid[1] = gy; l.grid[2] = gz;
  l.block[0] = bx; l.block[1] = by; l.block[2] = bz;
  memcpy(&l.args, params[0], sizeof l.args);
  static pthread_mutex_t emulator = PTHREAD_MUTEX_INITIALIZER;  // the emulator runs one launch at a time
  pthread_mutex_lock(&emulator);
  run(l);
  pthread_mutex_unlock(&emulator);
  return 0;
}
// Events and attributes for the device check's timing and JIT report steps (no real timing: elapsed is 0 ms).
CUresult cuEventCreate(void** e, unsigned) { *e = new int(0); return 0; }
CUresult cuEventRecord(void*, Stream*) { return sticky; }
CUresult cuEventSynchronize(void*) { return sticky; }
CUresult cuEventElapsedTime(float* ms, void*, void*) { *ms = 0.0f; return 0; }
CUresult cuFuncGetAttribute(int* value, int, Function*) { *value = -1; return 0; }
}  // extern "C"
