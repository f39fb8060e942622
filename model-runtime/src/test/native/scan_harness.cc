// Test harness for the CPU kernel (never packaged): runs the real selective_scan_kernel.cc on one SIMD path over
// shape classes of the official MambaIR models and compares every output with a float64 reference computed here
// from the operators' definitions (selective_scan_kernel.h), independently of the kernel's code.
// Built and run by the JUnit tests ScanKernelSanitizerTest (ASan + UBSan, host) and ScanKernelAarch64Test (qemu).
//
// Usage: scan_harness --isas       prints the paths this CPU runs, one per line
//        scan_harness <isa>        runs every case on that path; exit 0 when all are within the bound
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../main/native/selective_scan_kernel.h"

namespace {

// The bound of the Java tests of the operator: max |error| <= 2e-5 * max(1, max |y|).
constexpr double kRelativeBound = 2e-5;

struct Random {  // splitmix64 + Box-Muller
  uint64_t state;
  double uniform() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
  }
  float normal(float mean, float sd) {
    const double r = sqrt(-2.0 * log(1.0 - uniform()));
    return static_cast<float>(mean + sd * r * cos(2.0 * M_PI * uniform()));
  }
  float* fill(int64_t n, float mean, float sd) {
    float* v = static_cast<float*>(malloc(sizeof(float) * static_cast<size_t>(n > 0 ? n : 1)));
    for (int64_t i = 0; i < n; ++i) v[i] = normal(mean, sd);
    return v;
  }
  float* decays(int64_t n, float scale) {  // A = -exp(normal) * scale, as MambaIR's A_logs give
    float* v = fill(n, 0.0f, 1.0f);
    for (int64_t i = 0; i < n; ++i) v[i] = -expf(v[i]) * scale;
    return v;
  }
};

double softplus(double x) { return x > 20.0 ? x : log1p(exp(x)); }  // PyTorch's, threshold 20

// Grid position (row-major) visited at step t by official direction k.
int64_t position(int k, int64_t t, int64_t h, int64_t w) {
  const int64_t step = k < 2 ? t : h * w - 1 - t;
  return k % 2 == 0 ? step : (step % h) * w + step / h;
}

struct Result {
  double error, scale;
};

Result compare(const double* expected, const float* actual, int64_t n) {
  Result r{0.0, 1.0};
  for (int64_t i = 0; i < n; ++i) {
    r.scale = fmax(r.scale, fabs(expected[i]));
    const double e = fabs(expected[i] - actual[i]);
    if (!(e <= r.error)) r.error = isnan(e) ? INFINITY : e;  // NaN (an unwritten output) counts as worst
  }
  return r;
}

struct Case2D {
  const char* name;
  int64_t batch, channels, states, height, width;
  float delta_mean, a_scale;
};

// d_inner 72..360 (light and classic SR), N 10 and 16, odd and non-square grids, L over one 64-step tile.
constexpr Case2D kCases2D[] = {
    {"2d light-SR B2 E72 N10 9x13", 2, 72, 10, 9, 13, 0.0f, 1.0f},
    {"2d classic-SR B1 E360 N16 7x11", 1, 360, 16, 7, 11, 0.0f, 1.0f},
    {"2d B1 E180 N16 16x16 |A| to 1e4", 1, 180, 16, 16, 16, 0.0f, 1000.0f},
    {"2d B1 E96 N16 5x17 delta +60", 1, 96, 16, 5, 17, 60.0f, 1.0f},
    {"2d B1 E120 N10 13x5 delta -30", 1, 120, 10, 13, 5, -30.0f, 1.0f},
    {"2d B1 E72 N16 1x1", 1, 72, 16, 1, 1, 0.0f, 1.0f},
    {"2d B2 E20 N7 3x70 unspecialised N", 2, 20, 7, 3, 70, 0.0f, 1.0f},
};

Result run_2d(const Case2D& c, uint64_t seed) {
  const int64_t B = c.batch, E = c.channels, N = c.states, H = c.height, W = c.width, L = H * W;
  Random rng{seed};
  float* u = rng.fill(B * E * L, 0.0f, 1.0f);
  float* delta = rng.fill(B * 4 * E * L, c.delta_mean, 1.0f);
  float* a = rng.decays(4 * E * N, c.a_scale);
  float* bs = rng.fill(B * 4 * N * L, 0.0f, 1.0f);
  float* cs = rng.fill(B * 4 * N * L, 0.0f, 1.0f);
  float* ds = rng.fill(4 * E, 0.0f, 1.0f);
  float* bias = rng.fill(4 * E, 0.0f, 0.5f);

  double* expected = static_cast<double*>(calloc(static_cast<size_t>(B * L * E), sizeof(double)));
  double* h = static_cast<double*>(malloc(sizeof(double) * static_cast<size_t>(N)));
  for (int64_t b = 0; b < B; ++b) {
    for (int k = 0; k < 4; ++k) {
      for (int64_t e = 0; e < E; ++e) {
        const int64_t d = k * E + e;
        for (int64_t n = 0; n < N; ++n) h[n] = 0.0;
        for (int64_t t = 0; t < L; ++t) {
          const int64_t p = position(k, t, H, W);
          const double dt = softplus(static_cast<double>(delta[((b * 4 + k) * E + e) * L + p]) + bias[d]);
          const double ut = u[(b * E + e) * L + p];
          double sum = 0.0;
          for (int64_t n = 0; n < N; ++n) {
            const int64_t at = ((b * 4 + k) * N + n) * L + p;
            h[n] = exp(dt * a[d * N + n]) * h[n] + dt * ut * bs[at];
            sum += cs[at] * h[n];
          }
          expected[(b * L + p) * E + e] += sum + ds[d] * ut;
        }
      }
    }
  }

  float* y = static_cast<float*>(malloc(sizeof(float) * static_cast<size_t>(B * L * E)));
  memset(y, 0xff, sizeof(float) * static_cast<size_t>(B * L * E));  // NaN: every output must be written
  const mambair::Scan2DProblem problem{B, E, N, H, W, u, delta, a, bs, cs, ds, bias, y};
  const mambair::ScanPlan plan = mambair::scan2d_plan(problem);
  void* scratch = aligned_alloc(mambair::kScratchAlignment, plan.bytes);
  for (int64_t slot = plan.slots - 1; slot >= 0; --slot) mambair::scan2d_run_slot(problem, plan, scratch, slot);
  for (int64_t item = 0; item < plan.merges; ++item) mambair::scan2d_merge_item(problem, plan, scratch, item);
  const Result r = compare(expected, y, B * L * E);
  float* owned[] = {u, delta, a, bs, cs, ds, bias, y};
  for (float* p : owned) free(p);
  free(expected);
  free(h);
  free(scratch);
  return r;
}

struct Case1D {
  const char* name;
  int64_t batch, channels, states, groups, length;
  float delta_mean, a_scale;
};

constexpr Case1D kCases1D[] = {
    {"1d B2 D40 N10 G4 L257", 2, 40, 10, 4, 257, 0.0f, 1.0f},
    {"1d B1 D300 N16 G4 L130 partial blocks", 1, 300, 16, 4, 130, 0.0f, 1.0f},
};

Result run_1d(const Case1D& c, uint64_t seed) {
  const int64_t B = c.batch, D = c.channels, N = c.states, G = c.groups, L = c.length;
  Random rng{seed};
  float* u = rng.fill(B * D * L, 0.0f, 1.0f);
  float* delta = rng.fill(B * D * L, c.delta_mean, 1.0f);
  float* a = rng.decays(D * N, c.a_scale);
  float* bs = rng.fill(B * G * N * L, 0.0f, 1.0f);
  float* cs = rng.fill(B * G * N * L, 0.0f, 1.0f);
  float* ds = rng.fill(D, 0.0f, 1.0f);
  float* bias = rng.fill(D, 0.0f, 0.5f);
  double* expected = static_cast<double*>(calloc(static_cast<size_t>(B * D * L), sizeof(double)));
  double* h = static_cast<double*>(malloc(sizeof(double) * static_cast<size_t>(N)));
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t d = 0; d < D; ++d) {
      const int64_t g = d / (D / G);
      for (int64_t n = 0; n < N; ++n) h[n] = 0.0;
      for (int64_t t = 0; t < L; ++t) {
        const double dt = softplus(static_cast<double>(delta[(b * D + d) * L + t]) + bias[d]);
        const double ut = u[(b * D + d) * L + t];
        double sum = 0.0;
        for (int64_t n = 0; n < N; ++n) {
          const int64_t at = ((b * G + g) * N + n) * L + t;
          h[n] = exp(dt * a[d * N + n]) * h[n] + dt * ut * bs[at];
          sum += cs[at] * h[n];
        }
        expected[(b * D + d) * L + t] = sum + ds[d] * ut;
      }
    }
  }
  float* y = static_cast<float*>(malloc(sizeof(float) * static_cast<size_t>(B * D * L)));
  memset(y, 0xff, sizeof(float) * static_cast<size_t>(B * D * L));
  const mambair::ScanProblem problem{B, D, N, G, L, u, delta, a, bs, cs, ds, bias, y};
  const mambair::ScanPlan plan = mambair::scan_plan(problem);
  void* scratch = aligned_alloc(mambair::kScratchAlignment, plan.bytes);
  for (int64_t slot = 0; slot < plan.slots; ++slot) mambair::scan_run_slot(problem, plan, scratch, slot);
  const Result r = compare(expected, y, B * D * L);
  float* owned[] = {u, delta, a, bs, cs, ds, bias, y};
  for (float* p : owned) free(p);
  free(expected);
  free(h);
  free(scratch);
  return r;
}

bool report(const char* name, const Result& r) {
  const bool ok = r.error <= kRelativeBound * r.scale;
  printf("isa %s | case %s | max_abs_err %.3e | scale %.3e | %s\n", mambair::scan_kernel_isa(), name, r.error,
         r.scale, ok ? "ok" : "FAIL");
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: scan_harness --isas | scan_harness <isa>\n");
    return 2;
  }
  if (strcmp(argv[1], "--isas") == 0) {
    char list[64];
    snprintf(list, sizeof(list), "%s", mambair::scan_kernel_isas());
    for (char* isa = strtok(list, ", "); isa != nullptr; isa = strtok(nullptr, ", ")) printf("%s\n", isa);
    return 0;
  }
  if (!mambair::scan_kernel_select(argv[1])) {
    fprintf(stderr, "scan_harness: no %s path here (available: %s)\n", argv[1], mambair::scan_kernel_isas());
    return 2;
  }
  bool ok = true;
  uint64_t seed = 1;
  for (const Case2D& c : kCases2D) ok = report(c.name, run_2d(c, seed++)) && ok;
  for (const Case1D& c : kCases1D) ok = report(c.name, run_1d(c, seed++)) && ok;
  return ok ? 0 : 1;
}
