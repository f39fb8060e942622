// Fused selective scan (Mamba S6 recurrence) on the CPU, independent of ONNX Runtime. Freestanding: C headers
// only, no C++ runtime (see build.sh), so the library needs nothing but libc.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace mambair {

// One selective-scan call. All tensors are dense float32, row-major:
// u, delta, y (batch, channels, length); a (channels, states); bs, cs (batch, groups, states, length);
// ds, delta_bias (channels). Channel d reads group d / (channels / groups).
struct ScanProblem {
  int64_t batch, channels, states, groups, length;
  const float* u;
  const float* delta;
  const float* a;
  const float* bs;
  const float* cs;
  const float* ds;
  const float* delta_bias;
  float* y;
};

// The four-direction selective scan of one SS2D block (MambaIR's K = 4) on an H x W grid, L = H * W, positions
// row-major (l = h * W + w). Direction 0 visits the positions row by row, 1 column by column (l' = w * H + h),
// 2 and 3 are 0 and 1 backwards in time; each scans from zero state. Inputs, dense float32: u (batch, channels,
// H, W), delta (batch, 4, channels, L), a (4 * channels, states), bs, cs (batch, 4, states, L), ds, delta_bias
// (4 * channels), direction k using rows k * channels .. of a, ds, delta_bias and group k of delta, bs, cs, all
// at the positions of the grid (not in visiting order). Output y (batch, H, W, channels): the sum over the
// four directions of each direction's output at the position it belongs to.
struct Scan2DProblem {
  int64_t batch, channels, states, height, width;
  const float* u;
  const float* delta;
  const float* a;
  const float* bs;
  const float* cs;
  const float* ds;
  const float* delta_bias;
  float* y;
};

// Alignment of the scratch memory handed to scan_run_slot / scan2d_run_slot.
constexpr size_t kScratchAlignment = 64;

// How a call is split: `slots` independent parts (any order, any thread) over `items` work items, each slot
// using `slot_bytes` of scratch at scratch + shared_bytes + slot * slot_bytes (2-D: the first shared_bytes hold the
// column directions' partial sums of y); then, 2-D only, `merges` independent merge items. All sizes are
// multiples of kScratchAlignment; bytes (the whole scratch) == 0 means the shape is too large to address (an
// error for the caller to report).
struct ScanPlan {
  int64_t items, slots;
  size_t slot_bytes, shared_bytes, bytes;
  int64_t merges;
};

ScanPlan scan_plan(const ScanProblem& problem);
void scan_run_slot(const ScanProblem& problem, const ScanPlan& plan, void* scratch, int64_t slot);

ScanPlan scan2d_plan(const Scan2DProblem& problem);
void scan2d_run_slot(const Scan2DProblem& problem, const ScanPlan& plan, void* scratch, int64_t slot);
// After every slot finished: adds the columns' partial sums into y, 0 <= item < plan.merges.
void scan2d_merge_item(const Scan2DProblem& problem, const ScanPlan& plan, const void* scratch, int64_t item);

// Instruction set the kernel runs ("avx512", "avx2", "neon", "generic"); the best this CPU has unless
// scan_kernel_select chose another.
const char* scan_kernel_isa();

// Makes the kernel run the path named; false (nothing changed) when this build or CPU has no such path.
// Not thread-safe: call before any scan runs (at library load).
bool scan_kernel_select(const char* isa);

// The paths this build can run on this CPU, best first, comma-separated (e.g. "avx512, avx2, generic").
const char* scan_kernel_isas();

}  // namespace mambair
