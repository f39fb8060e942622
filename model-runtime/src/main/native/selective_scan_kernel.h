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

// Name of the instruction set the kernel was dispatched to on this CPU ("avx512f", "avx2", "generic").
const char* scan_kernel_isa();

}  // namespace mambair
