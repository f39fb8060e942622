// Benchmark of the CPU kernel alone (never packaged): one thread, SS2D scans of 64x64 tiles shaped like light SR
// (E 72, N 10) and classic SR (E 360, N 16), on the path chosen at load (or the one named). Prints, per case,
// the median over the calls of thread CPU time and wall time per call.
// Build: g++ -O3 -std=c++17 -fno-exceptions scan_bench.cc ../../main/native/selective_scan_kernel.cc -o scan_bench
// Usage: scan_bench [calls] [isa]
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../main/native/selective_scan_kernel.h"

namespace {

double seconds(clockid_t clock) {
  timespec t;
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

float* filled(int64_t n, float offset, float scale, uint32_t seed) {
  float* v = static_cast<float*>(malloc(sizeof(float) * static_cast<size_t>(n)));
  for (int64_t i = 0; i < n; ++i) {
    seed = seed * 1664525u + 1013904223u;
    v[i] = offset + scale * (static_cast<float>(seed >> 8) * 0x1.0p-24f - 0.5f);
  }
  return v;
}

int compare(const void* a, const void* b) {
  const double x = *static_cast<const double*>(a), y = *static_cast<const double*>(b);
  return x < y ? -1 : x > y;
}

void bench(const char* name, int64_t B, int64_t E, int64_t N, int calls) {
  const int64_t H = 64, W = 64, L = H * W;
  float* u = filled(B * E * L, 0.0f, 2.0f, 1);
  float* delta = filled(B * 4 * E * L, 0.0f, 2.0f, 2);
  float* a = filled(4 * E * N, -2.0f, 2.0f, 3);
  float* bs = filled(B * 4 * N * L, 0.0f, 2.0f, 4);
  float* cs = filled(B * 4 * N * L, 0.0f, 2.0f, 5);
  float* ds = filled(4 * E, 0.0f, 2.0f, 6);
  float* bias = filled(4 * E, 0.0f, 1.0f, 7);
  float* y = static_cast<float*>(malloc(sizeof(float) * static_cast<size_t>(B * L * E)));
  const mambair::Scan2DProblem p{B, E, N, H, W, u, delta, a, bs, cs, ds, bias, y};
  double* cpu = static_cast<double*>(malloc(sizeof(double) * static_cast<size_t>(calls)));
  double* wall = static_cast<double*>(malloc(sizeof(double) * static_cast<size_t>(calls)));
  for (int c = -1; c < calls; ++c) {  // call -1 warms up
    const double c0 = seconds(CLOCK_THREAD_CPUTIME_ID), w0 = seconds(CLOCK_MONOTONIC);
    const mambair::ScanPlan plan = mambair::scan2d_plan(p);  // as the operator does per call
    void* scratch = aligned_alloc(mambair::kScratchAlignment, plan.bytes);
    for (int64_t slot = 0; slot < plan.slots; ++slot) mambair::scan2d_run_slot(p, plan, scratch, slot);
    for (int64_t item = 0; item < plan.merges; ++item) mambair::scan2d_merge_item(p, plan, scratch, item);
    free(scratch);
    if (c >= 0) {
      cpu[c] = 1e3 * (seconds(CLOCK_THREAD_CPUTIME_ID) - c0);
      wall[c] = 1e3 * (seconds(CLOCK_MONOTONIC) - w0);
    }
  }
  qsort(cpu, static_cast<size_t>(calls), sizeof(double), compare);
  qsort(wall, static_cast<size_t>(calls), sizeof(double), compare);
  printf("%-34s %-8s cpu %8.1f ms  wall %8.1f ms  (median of %d, y[0] %g)\n", name, mambair::scan_kernel_isa(),
         cpu[calls / 2], wall[calls / 2], calls, static_cast<double>(y[0]));
  float* owned[] = {u, delta, a, bs, cs, ds, bias, y};
  for (float* v : owned) free(v);
  free(cpu);
  free(wall);
}

}  // namespace

int main(int argc, char** argv) {
  const int calls = argc > 1 ? atoi(argv[1]) : 5;
  if (argc > 2 && !mambair::scan_kernel_select(argv[2])) {
    fprintf(stderr, "scan_bench: no %s path here (available: %s)\n", argv[2], mambair::scan_kernel_isas());
    return 2;
  }
  bench("2d light SR B1 E72 N10 64x64", 1, 72, 10, calls);
  bench("2d classic SR B1 E360 N16 64x64", 1, 360, 16, calls);
  return 0;
}
