// The argument block of every SelectiveScan2D CUDA kernel, passed by value (one kernel parameter). Plain C layout,
// identical on x86-64, aarch64 and nvptx64 (all LP64); the device check mirrors it with ctypes.
#pragma once

#include <stdint.h>

// Tensors as the CPU operator defines them (see selective_scan_kernel.h, Scan2DProblem): u (B, E, H, W),
// delta (B, 4, E, L), a (4E, N), bs and cs (B, 4, N, L), ds and delta_bias (4E), y (B, H, W, E), L = H * W.
// Scratch: y_dirs (B, 4, E, L), each direction's output at its positions; chunk_h (B, 4, E, N, chunk_capacity),
// each chunk's end state from zero, then (after the carry) its start state; chunk_dt (B, 4, E, chunk_capacity),
// each chunk's sum of dt.
//
// A direction visits its L positions as `lines` lines (rows for axis 0, columns for axis 1) of `line_length`
// steps; each line is cut into `segments` chunks of up to `chunk` steps (the last one partial), so a sequence has
// lines * segments chunks, numbered in visiting order (line * segments + segment).
struct MambairScan2DArgs {
  const float* u;
  const float* delta;
  const float* a;
  const float* bs;
  const float* cs;
  const float* ds;
  const float* delta_bias;
  float* y;
  float* y_dirs;
  float* chunk_h;
  float* chunk_dt;
  int64_t batch, channels, states, height, width;
  int64_t axis;            // 0: directions 0 and 2 (rows), 1: directions 1 and 3 (columns)
  int64_t chunk;           // steps per chunk
  int64_t segments;        // chunks per line
  int64_t chunk_capacity;  // chunk stride of chunk_h and chunk_dt, >= lines * segments of both axes
};
