// Fused selective scan (Mamba S6 recurrence) on the CPU, independent of ONNX Runtime.
#pragma once

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

// Independent work items of a problem (blocks of channels of one batch element); any order, any thread.
int64_t scan_work_items(const ScanProblem& problem);

// Computes y for one work item, 0 <= item < scan_work_items(problem).
void scan_work_item(const ScanProblem& problem, int64_t item);

// The four-direction selective scan of one SS2D block (MambaIR's K = 4) on an H x W grid, L = H * W, positions
// row-major (l = h * W + w). Direction 0 visits the positions row by row, 1 column by column (l' = w * H + h),
// 2 and 3 are 0 and 1 backwards in time; each scans from zero state. Inputs, dense float32: u (batch, channels,
// H, W), delta (batch, 4, channels, L), a (4 * channels, states), bs, cs (batch, 4, states, L), ds, delta_bias
// (4 * channels), direction k using rows k * channels .. of a, ds, delta_bias and group k of delta, bs, cs, all
// at the positions of the grid (not in visiting order). Output y (batch, H, W, channels): the sum over the
// four directions of each direction's output at the position it belongs to. y_columns is scratch of y's size.
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
  float* y_columns;
};

// Work items of the scans (any order, any thread); all must finish before the merge items run.
int64_t scan2d_work_items(const Scan2DProblem& problem);
void scan2d_work_item(const Scan2DProblem& problem, int64_t item);

// Work items adding the column directions' partial sums into y (any order, any thread).
int64_t scan2d_merge_items(const Scan2DProblem& problem);
void scan2d_merge_item(const Scan2DProblem& problem, int64_t item);

// Name of the instruction set the kernel was dispatched to on this CPU ("avx512f", "avx2", "generic").
const char* scan_kernel_isa();

}  // namespace mambair
