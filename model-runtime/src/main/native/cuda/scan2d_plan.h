// The launch schedule of the SelectiveScan2D CUDA kernels (scan2d_kernel.cu) for one problem: chunk lengths,
// scratch sizes and the seven launches. Pure C++ (no CUDA, no ORT), shared by the driver-API launcher and the
// host emulator; gpu/scan2d_device_check.py follows the same rules.
#pragma once

#include <stdint.h>

#include "scan2d_args.h"

// Per axis: steps per chunk and chunks per line; chunk_capacity and the scratch sizes in floats.
struct MambairScan2DPlan {
  int64_t chunk[2];
  int64_t segments[2];
  int64_t chunk_capacity;
  int64_t y_dirs_floats, chunk_h_floats, chunk_dt_floats;
};

// One kernel launch: entry name in the PTX, grid and block sizes, the argument block.
struct MambairLaunch {
  const char* kernel;
  unsigned grid[3];
  unsigned block[3];
  MambairScan2DArgs args;
};

constexpr int kMambairScan2DLaunches = 7;
// Every entry point of the PTX the schedule launches (the launcher resolves them once per module).
constexpr int kMambairScan2DKernels = 8;
inline constexpr const char* kMambairScan2DKernelNames[kMambairScan2DKernels] = {
    "mambair_scan2d_chunk_end_n16", "mambair_scan2d_chunk_end_n10", "mambair_scan2d_chunk_end_nx",
    "mambair_scan2d_carry",         "mambair_scan2d_chunk_out_n16", "mambair_scan2d_chunk_out_n10",
    "mambair_scan2d_chunk_out_nx",  "mambair_scan2d_merge"};
constexpr int64_t kMambairMaxGridX = 0x7fffffff;  // the driver's grid limits (compute capability 3.0+)
constexpr int64_t kMambairMaxGridYZ = 65535;
constexpr int kMambairScanThreads = 128;      // threads per block of the scan and carry kernels
constexpr int64_t kMambairTargetThreads = 1 << 17;  // scan threads per launch worth cutting lines for
constexpr int64_t kMambairMinChunk = 8;       // shortest chunk the schedule cuts lines into

inline int64_t mambair_ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Plans args' problem (shape fields only are read). chunk_override > 0 fixes the chunk length of both axes
// (tests use it to force partial chunks); 0 lets the plan cut lines until a launch has enough threads.
inline MambairScan2DPlan mambair_scan2d_plan(const MambairScan2DArgs& args, int64_t chunk_override) {
  MambairScan2DPlan plan{};
  const int64_t B = args.batch, E = args.channels, N = args.states, H = args.height, W = args.width;
  for (int axis = 0; axis < 2; ++axis) {
    const int64_t lines = axis == 0 ? H : W, line_length = axis == 0 ? W : H;
    int64_t chunk = chunk_override;
    if (chunk <= 0) {
      const int64_t wanted = mambair_ceil_div(kMambairTargetThreads, B * 2 * E * lines);
      const int64_t most = mambair_ceil_div(line_length, kMambairMinChunk);
      chunk = mambair_ceil_div(line_length, wanted < most ? wanted : most);
    }
    if (chunk > line_length) chunk = line_length;
    plan.chunk[axis] = chunk;
    plan.segments[axis] = mambair_ceil_div(line_length, chunk);
    const int64_t chunks = lines * plan.segments[axis];
    if (chunks > plan.chunk_capacity) plan.chunk_capacity = chunks;
  }
  plan.y_dirs_floats = B * 4 * E * H * W;
  plan.chunk_h_floats = B * 4 * E * N * plan.chunk_capacity;
  plan.chunk_dt_floats = B * 4 * E * plan.chunk_capacity;
  return plan;
}

// Which scan kernels serve a state count: 0 (exactly 16), 1 (exactly 10), 2 (1..32), -1 (none).
inline int mambair_scan2d_state_variant(int64_t states) {
  if (states == 16) return 0;
  if (states == 10) return 1;
  return states >= 1 && states <= 32 ? 2 : -1;
}

// Fills the seven launches, in stream order, for args (all pointers set, scratch included) and plan.
// Returns false, launching nothing, when the state count has no kernel (1..32 are supported) or a grid exceeds the
// driver's limits (every block count is checked in 64 bits before it is narrowed to the driver's unsigned).
inline bool mambair_scan2d_schedule(const MambairScan2DArgs& args, const MambairScan2DPlan& plan,
                                    MambairLaunch* out) {
  const int v = mambair_scan2d_state_variant(args.states);
  if (v < 0) return false;
  const int64_t B = args.batch, E = args.channels, N = args.states, H = args.height, W = args.width;
  const int64_t merge_grid[3] = {mambair_ceil_div(H * W, 32), mambair_ceil_div(E, 32), B};
  if (merge_grid[0] > kMambairMaxGridX || merge_grid[1] > kMambairMaxGridYZ || merge_grid[2] > kMambairMaxGridYZ) {
    return false;
  }
  int i = 0;
  for (int axis = 0; axis < 2; ++axis) {
    MambairScan2DArgs a = args;
    a.axis = axis;
    a.chunk = plan.chunk[axis];
    a.segments = plan.segments[axis];
    a.chunk_capacity = plan.chunk_capacity;
    const int64_t lines = axis == 0 ? H : W;
    // B*2*E*lines*segments <= 2^63 for every shape the operator accepts (B, E, H*W bounded); checked stepwise
    const int64_t per_line = B * 2 * E;
    if (per_line > kMambairMaxGridX * kMambairScanThreads / (lines * plan.segments[axis])) return false;
    const int64_t scan_blocks = mambair_ceil_div(per_line * lines * plan.segments[axis], kMambairScanThreads);
    const int64_t carry_blocks = mambair_ceil_div(per_line * N, kMambairScanThreads);
    if (scan_blocks > kMambairMaxGridX || carry_blocks > kMambairMaxGridX) return false;
    const unsigned scan = static_cast<unsigned>(scan_blocks), carry = static_cast<unsigned>(carry_blocks);
    out[i++] = MambairLaunch{kMambairScan2DKernelNames[v], {scan, 1, 1}, {kMambairScanThreads, 1, 1}, a};
    out[i++] = MambairLaunch{kMambairScan2DKernelNames[3], {carry, 1, 1}, {kMambairScanThreads, 1, 1}, a};
    out[i++] = MambairLaunch{kMambairScan2DKernelNames[4 + v], {scan, 1, 1}, {kMambairScanThreads, 1, 1}, a};
  }
  MambairScan2DArgs m = args;
  m.chunk_capacity = plan.chunk_capacity;
  out[i++] = MambairLaunch{kMambairScan2DKernelNames[7],
                           {static_cast<unsigned>(merge_grid[0]), static_cast<unsigned>(merge_grid[1]),
                            static_cast<unsigned>(merge_grid[2])},
                           {32, 8, 1},
                           m};
  return true;
}
