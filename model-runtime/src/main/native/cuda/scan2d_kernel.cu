// SelectiveScan2D on a CUDA GPU: the semantics of the CPU operator (selective_scan_kernel.h, Scan2DProblem) as a
// chunked scan, launched per axis (rows: directions 0 and 2; columns: 1 and 3) by scan2d_plan.h's schedule:
//   1. chunk_end: one thread per (batch, direction, channel, chunk) scans its chunk from zero state and keeps
//      the end state of every state n and the chunk's sum of dt;
//   2. carry: one thread per (batch, direction, channel, state) walks the chunks in visiting order,
//      h_start(c + 1) = exp(A sum_dt(c)) h_start(c) + h_end(c), replacing each end state by the start state;
//   3. chunk_out: the chunk_end threads rescan their chunks from the start states and write the direction's y;
//   4. merge (after both axes): y(b, l, e) = (y0 + y2) + (y1 + y3), the CPU operator's order, no atomics.
// Every decay is exp2 of dt * A * log2(e) <= 0 (A <= 0, dt >= 0), so nothing overflows however long the chunk.
// Adjacent threads take adjacent lines, so on the column axis their loads are adjacent addresses.
// Written in the dialect of cuda_dialect.h: no CUDA headers, no libdevice (softplus is computed with the CPU
// operator's float32 polynomials).
#include "cuda_dialect.h"
#include "scan2d_args.h"
#define MAMBAIR_MATH_FN MAMBAIR_DEVICE
#include "../scan_math.h"

namespace {

using mambair_math::kLog2e;
constexpr int kMaxGenericStates = 32;

MAMBAIR_DEVICE float bits_to_float(uint32_t bits) { return __builtin_bit_cast(float, bits); }
MAMBAIR_DEVICE uint32_t float_to_bits(float x) { return __builtin_bit_cast(uint32_t, x); }

// e^x, about 1 ulp on [-87.33, 88.38]; 2^-126 below, +inf above, NaN stays NaN (the CPU operator's exp_v).
MAMBAIR_DEVICE float exp_poly(float x) {
  float xc = x < mambair_math::kExpLo ? mambair_math::kExpLo : x;
  xc = xc > mambair_math::kExpHi ? mambair_math::kExpHi : xc;
  float t;
  const float p = mambair_math::exp_mantissa(xc, t);
  const float result = p * bits_to_float(float_to_bits(t) << 23);
  return x > mambair_math::kExpHi ? __builtin_inff() : result;
}

// Natural log for finite x >= 1 (the CPU operator's log_ge1_v).
MAMBAIR_DEVICE float log_ge1_poly(float x) {
  const uint32_t bits = float_to_bits(x);
  float e = static_cast<float>(static_cast<int32_t>((bits >> 23) & 0xff) - 126);
  float m = bits_to_float((bits & 0x807fffffu) | 0x3f000000u);
  if (m < mambair_math::kSqrtHalf) {
    e = e - 1.0f;
    m = m + m - 1.0f;
  } else {
    m = m - 1.0f;
  }
  return mambair_math::log_reduced(m, e);
}

// PyTorch's softplus (threshold 20) as the CPU operator computes it: log1p(e^x) with Goldberg's correction.
MAMBAIR_DEVICE float softplus(float x) {
  const float e = exp_poly(x > 20.0f ? 20.0f : x);
  const float w = e + 1.0f;
  const float l = w == 1.0f ? e : log_ge1_poly(w) * (e / (w - 1.0f));
  return x > 20.0f ? x : l;
}

// One chunk of one sequence: where its inputs are and which positions it visits.
struct Chunk {
  int64_t row;         // (b * 4 + k) * E + e: the sequence's row of delta, y_dirs, chunk_h, chunk_dt
  int64_t index;       // chunk number in visiting order
  const float* u;      // u of (b, e), indexed by position
  const float* delta;  // delta of (b, k, e)
  const float* bs;     // Bs of (b, k), state n at n * L
  const float* cs;
  int64_t direction;   // k
  int64_t channel;     // e
  int32_t first;       // position of the first step
  int32_t stride;      // position step (1, W, -1 or -W)
  int32_t steps;       // steps in this chunk (the last of a line may be partial)
  bool valid;
};

// The chunk of thread `id` of a chunk_end / chunk_out launch; adjacent ids take adjacent lines.
MAMBAIR_DEVICE Chunk chunk_of(const MambairScan2DArgs& p, int64_t id) {
  const int64_t H = p.height, W = p.width, L = H * W, E = p.channels;
  const int64_t lines = p.axis == 0 ? H : W, line_length = p.axis == 0 ? W : H;
  Chunk c{};
  const int64_t total = p.batch * 2 * E * lines * p.segments;
  c.valid = id < total;
  if (!c.valid) return c;
  const int64_t v = id % lines;
  int64_t r = id / lines;
  const int64_t s = r % p.segments;
  r /= p.segments;
  const int64_t e = r % E;
  r /= E;
  const int64_t k = p.axis + 2 * (r % 2);
  const int64_t b = r / 2;
  const int64_t i0 = s * p.chunk;
  c.steps = static_cast<int32_t>(i0 >= line_length ? 0 : (line_length - i0 < p.chunk ? line_length - i0 : p.chunk));
  c.row = (b * 4 + k) * E + e;
  c.index = v * p.segments + s;
  c.u = p.u + (b * E + e) * L;
  c.delta = p.delta + c.row * L;
  c.bs = p.bs + (b * 4 + k) * p.states * L;
  c.cs = p.cs + (b * 4 + k) * p.states * L;
  c.direction = k;
  c.channel = e;
  switch (k) {
    case 0: c.first = static_cast<int32_t>(v * W + i0); c.stride = 1; break;
    case 1: c.first = static_cast<int32_t>(i0 * W + v); c.stride = static_cast<int32_t>(W); break;
    case 2: c.first = static_cast<int32_t>((H - 1 - v) * W + (W - 1 - i0)); c.stride = -1; break;
    default: c.first = static_cast<int32_t>((H - 1 - i0) * W + (W - 1 - v)); c.stride = -static_cast<int32_t>(W); break;
  }
  return c;
}

MAMBAIR_DEVICE int64_t global_id() {
  return static_cast<int64_t>(MAMBAIR_BLOCK_IDX.x) * MAMBAIR_BLOCK_DIM.x + MAMBAIR_THREAD_IDX.x;
}

// Pass 1 (kWriteY false) and pass 3 (true) over one chunk. NS > 0: exactly NS states (kept in registers);
// NS == 0: p.states <= kMaxGenericStates.
template <int NS, bool kWriteY>
MAMBAIR_DEVICE void scan_chunk(const MambairScan2DArgs& p) {
  const Chunk c = chunk_of(p, global_id());
  if (!c.valid) return;
  constexpr int kCap = NS > 0 ? NS : kMaxGenericStates;
  const int N = NS > 0 ? NS : static_cast<int>(p.states);
  const int64_t L = p.height * p.width, cap = p.chunk_capacity;
  const int64_t param = c.direction * p.channels + c.channel;
  float a2[kCap], h[kCap];
  float* chunk_h = p.chunk_h + c.row * N * cap + c.index;
#pragma unroll
  for (int n = 0; n < kCap; ++n) {
    if (n < N) {
      a2[n] = MAMBAIR_LOAD(p.a + param * N + n) * kLog2e;
      h[n] = kWriteY ? chunk_h[n * cap] : 0.0f;
    }
  }
  const float bias = MAMBAIR_LOAD(p.delta_bias + param);
  const float dskip = MAMBAIR_LOAD(p.ds + param);
  float sum_dt = 0.0f;
  int32_t pos = c.first;
  for (int32_t i = 0; i < c.steps; ++i, pos += c.stride) {
    const float ut = MAMBAIR_LOAD(c.u + pos);
    const float dt = softplus(MAMBAIR_LOAD(c.delta + pos) + bias);
    const float du = dt * ut;
    float acc = 0.0f;
#pragma unroll
    for (int n = 0; n < kCap; ++n) {
      if (n < N) {
        h[n] = MAMBAIR_EXP2_APPROX(dt * a2[n]) * h[n] + du * MAMBAIR_LOAD(c.bs + n * L + pos);
        if (kWriteY) acc += h[n] * MAMBAIR_LOAD(c.cs + n * L + pos);
      }
    }
    if (kWriteY) {
      p.y_dirs[c.row * L + pos] = acc + dskip * ut;
    } else {
      sum_dt += dt;
    }
  }
  if (!kWriteY) {
#pragma unroll
    for (int n = 0; n < kCap; ++n) {
      if (n < N) chunk_h[n * cap] = h[n];
    }
    p.chunk_dt[c.row * cap + c.index] = sum_dt;
  }
}

}  // namespace

MAMBAIR_KERNEL void mambair_scan2d_chunk_end_n16(MambairScan2DArgs p) { scan_chunk<16, false>(p); }
MAMBAIR_KERNEL void mambair_scan2d_chunk_end_n10(MambairScan2DArgs p) { scan_chunk<10, false>(p); }
MAMBAIR_KERNEL void mambair_scan2d_chunk_end_nx(MambairScan2DArgs p) { scan_chunk<0, false>(p); }
MAMBAIR_KERNEL void mambair_scan2d_chunk_out_n16(MambairScan2DArgs p) { scan_chunk<16, true>(p); }
MAMBAIR_KERNEL void mambair_scan2d_chunk_out_n10(MambairScan2DArgs p) { scan_chunk<10, true>(p); }
MAMBAIR_KERNEL void mambair_scan2d_chunk_out_nx(MambairScan2DArgs p) { scan_chunk<0, true>(p); }

// Pass 2: one thread per (b, direction of the axis, e, n), sequential over the sequence's chunks.
MAMBAIR_KERNEL void mambair_scan2d_carry(MambairScan2DArgs p) {
  const int64_t id = global_id();
  const int64_t N = p.states, E = p.channels;
  if (id >= p.batch * 2 * E * N) return;
  const int64_t n = id % N;
  int64_t r = id / N;
  const int64_t e = r % E;
  r /= E;
  const int64_t k = p.axis + 2 * (r % 2);
  const int64_t b = r / 2;
  const int64_t row = (b * 4 + k) * E + e;
  const int64_t chunks = (p.axis == 0 ? p.height : p.width) * p.segments, cap = p.chunk_capacity;
  const float a2 = MAMBAIR_LOAD(p.a + (k * E + e) * N + n) * kLog2e;
  float* chunk_h = p.chunk_h + (row * N + n) * cap;
  const float* chunk_dt = p.chunk_dt + row * cap;
  float h = 0.0f;
  for (int64_t c = 0; c < chunks; ++c) {
    const float end = chunk_h[c];
    chunk_h[c] = h;
    h = MAMBAIR_EXP2_APPROX(a2 * chunk_dt[c]) * h + end;
  }
}

// Pass 4: a 32 x 32 tile of (position, channel) per block of 32 x 8 threads, summed in the CPU operator's order
// and transposed through shared memory so that both the y_dirs reads and the y writes are contiguous.
MAMBAIR_KERNEL void mambair_scan2d_merge(MambairScan2DArgs p) {
  MAMBAIR_SHARED float tile[32][33];
  const int64_t L = p.height * p.width, E = p.channels;
  const int64_t l0 = static_cast<int64_t>(MAMBAIR_BLOCK_IDX.x) * 32, e0 = static_cast<int64_t>(MAMBAIR_BLOCK_IDX.y) * 32;
  const int64_t b = MAMBAIR_BLOCK_IDX.z;
  const unsigned tx = MAMBAIR_THREAD_IDX.x, ty = MAMBAIR_THREAD_IDX.y;
  const float* y_dirs = p.y_dirs + b * 4 * E * L;
  for (unsigned j = ty; j < 32; j += 8) {
    const int64_t e = e0 + j, l = l0 + tx;
    if (e < E && l < L) {
      tile[j][tx] = (y_dirs[e * L + l] + y_dirs[(2 * E + e) * L + l]) +
                    (y_dirs[(E + e) * L + l] + y_dirs[(3 * E + e) * L + l]);
    }
  }
  MAMBAIR_SYNC_THREADS();
  for (unsigned j = ty; j < 32; j += 8) {
    const int64_t l = l0 + j, e = e0 + tx;
    if (e < E && l < L) p.y[(b * L + l) * E + e] = tile[tx][j];
  }
}
