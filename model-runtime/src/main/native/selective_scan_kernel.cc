// Vectorised selective scan. Channels of one group share Bs and Cs, so W channels are scanned together
// in one SIMD vector (GCC vector extensions; W = 16 on AVX-512, 8 on AVX2, 4 elsewhere) with the states loop inside:
// per time step and state one vector exp, two FMAs and a multiply, no horizontal reductions.
//
// exp, log and softplus are hand-written Cephes-style polynomials (float32, about 1-2 ulp): libm has no
// vector entry points that GCC uses without -ffast-math, and -ffast-math would also relax the softplus
// threshold and NaN semantics the operator contract fixes.
#include "selective_scan_kernel.h"

#include <stdlib.h>
#include <string.h>

#include <algorithm>

namespace mambair {
namespace {

constexpr int64_t kTile = 64;  // time steps per transposed tile

#define MAMBAIR_INLINE inline __attribute__((always_inline))

template <int W>
struct Vec {
  typedef float F __attribute__((vector_size(4 * W), aligned(4 * W)));
  typedef int32_t I __attribute__((vector_size(4 * W), aligned(4 * W)));
};

template <int W>
MAMBAIR_INLINE typename Vec<W>::F splat(float x) {
  typename Vec<W>::F v;
  for (int i = 0; i < W; ++i) v[i] = x;
  return v;
}

// e^x, about 1 ulp for -87.33 <= x <= 88.37. Below, 2^-126 (1.2e-38) instead of the subnormal or zero true
// value (an absolute error under 1.2e-38; the official CUDA kernel's __expf flushes there too). Above 88.37,
// +inf; kNonPositive skips that check where the caller knows x <= 0 or NaN. NaN stays NaN.
template <int W, bool kNonPositive = false>
MAMBAIR_INLINE typename Vec<W>::F exp_v(typename Vec<W>::F x) {
  typedef typename Vec<W>::F F;
  typedef typename Vec<W>::I I;
  const float lo = -87.33654f, hi = 88.37626f;
  F xc = x < lo ? splat<W>(lo) : x;
  if (!kNonPositive) xc = xc > hi ? splat<W>(hi) : xc;
  // n = round(x / ln 2) with the 1.5 * 2^23 shifter, whose low mantissa bits then hold n + 127, the biased
  // exponent of 2^n; r = x - n ln 2 with one FMA (n ln 2 exact inside the FMA).
  const F shifter = splat<W>(12582912.0f + 127.0f);
  const F t = xc * 1.44269504088896341f + shifter;
  const F n = t - shifter;
  const F r = xc - n * 0.693147180559945309f;
  F p = splat<W>(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  const F result = p * (F)((I)t << 23);
  if (kNonPositive) return result;
  return x > hi ? splat<W>(__builtin_inff()) : result;
}

// Natural log for x >= 1 (finite, normal). Cephes logf polynomial.
template <int W>
MAMBAIR_INLINE typename Vec<W>::F log_ge1_v(typename Vec<W>::F x) {
  typedef typename Vec<W>::F F;
  typedef typename Vec<W>::I I;
  I bits = (I)x;
  F e = __builtin_convertvector(((bits >> 23) & 0xff) - 126, F);
  F m = (F)((bits & 0x807fffff) | 0x3f000000);  // mantissa in [0.5, 1)
  auto small = m < 0.707106781186547524f;
  e = small ? e - 1.0f : e;
  m = small ? m + m - 1.0f : m - 1.0f;
  F z = m * m;
  F p = splat<W>(7.0376836292e-2f);
  p = p * m - 1.1514610310e-1f;
  p = p * m + 1.1676998740e-1f;
  p = p * m - 1.2420140846e-1f;
  p = p * m + 1.4249322787e-1f;
  p = p * m - 1.6668057665e-1f;
  p = p * m + 2.0000714765e-1f;
  p = p * m - 2.4999993993e-1f;
  p = p * m + 3.3333331174e-1f;
  F y = p * m * z;
  y = y + e * -2.12194440e-4f;
  y = y - 0.5f * z;
  return m + y + e * 0.693359375f;
}

// PyTorch's softplus with threshold 20: x above 20, else log1p(exp(x)). log1p(e) = log(1 + e) * e / ((1 + e) - 1)
// keeps full relative precision for small e (Goldberg's correction).
template <int W>
MAMBAIR_INLINE typename Vec<W>::F softplus_v(typename Vec<W>::F x) {
  typedef typename Vec<W>::F F;
  F e = exp_v<W>(x > 20.0f ? splat<W>(20.0f) : x);
  F w = e + 1.0f;
  F l = w == 1.0f ? e : log_ge1_v<W>(w) * (e / (w - 1.0f));
  return x > 20.0f ? x : l;
}

// Per-thread scratch for one block of W channels: inputs gathered as plain floats (lane j of step t at
// [t][j]), then read as whole vectors.
template <int W>
struct Scratch {
  typedef typename Vec<W>::F F;
  alignas(64) float u[kTile][W];
  alignas(64) float delta[kTile][W];
  F dt[kTile], du[kTile], y[kTile];
  int64_t pos[kTile];
};

// The order in which a scan visits the positions of an H x W grid stored row-major (l = h * W + w).
enum class Order { kRows, kRowsReversed, kColumns, kColumnsReversed };

// Positions visited at time steps t0 .. t0 + tn - 1.
void fill_positions(Order order, int64_t t0, int64_t tn, int64_t height, int64_t width, int64_t* pos) {
  const int64_t last = height * width - 1;
  for (int64_t i = 0; i < tn; ++i) {
    const int64_t t = order == Order::kRows || order == Order::kColumns ? t0 + i : last - (t0 + i);
    pos[i] = order == Order::kRows || order == Order::kRowsReversed ? t : (t % height) * width + t / height;
  }
}

// One block of up to W channels that share Bs and Cs. Lane j reads u and delta of step t at
// [j * lane_stride + t] or, with inputs_reversed, [j * lane_stride + length - 1 - t] (inputs in visiting order),
// A at a[j * states + n], Ds and delta_bias at [j]; state n reads Bs and Cs at [n * length + pos]; y of
// lane j at position pos is y[j * y_lane_stride + pos * y_pos_stride], stored or, with accumulate, added to.
struct Block {
  int lanes;
  int64_t length, states, height, width;
  Order order;
  bool inputs_reversed;
  const float* u;
  const float* delta;
  int64_t lane_stride;
  const float* a;
  const float* ds;
  const float* delta_bias;
  const float* bs;
  const float* cs;
  float* y;
  int64_t y_lane_stride, y_pos_stride;
  bool accumulate;
};

template <int W>
MAMBAIR_INLINE typename Vec<W>::F load_unaligned(const float* p) {
  typename Vec<W>::F v;
  __builtin_memcpy(&v, p, sizeof(v));
  return v;
}

// Scans one block. NS > 0 fixes the number of states at compile time (MambaIR's 10 and 16) so that the
// state vectors stay in registers. kNegativeA: every A of the block is <= 0, so the decays exp(dt * A)
// cannot overflow (dt >= 0). kChannelsLast: y_lane_stride is 1 (the lanes of one position are adjacent).
template <int W, int NS, bool kNegativeA, bool kChannelsLast>
MAMBAIR_INLINE void scan_block(const Block& k) {
  typedef typename Vec<W>::F F;
  const int64_t L = k.length, N = NS > 0 ? NS : k.states;
  F* a = static_cast<F*>(aligned_alloc(64, sizeof(F) * (2 * N) + sizeof(Scratch<W>)));
  if (a == nullptr) abort();
  F* h_mem = a + N;
  Scratch<W>* s = reinterpret_cast<Scratch<W>*>(h_mem + N);
  memset(static_cast<void*>(a), 0, sizeof(F) * (2 * N) + sizeof(Scratch<W>));
  F h_reg[NS > 0 ? NS : 1] = {};
  F* h = NS > 0 ? h_reg : h_mem;

  F bias = splat<W>(0.0f), dskip = splat<W>(0.0f);
  for (int j = 0; j < k.lanes; ++j) {
    for (int64_t n = 0; n < N; ++n) a[n][j] = k.a[j * N + n];
    bias[j] = k.delta_bias[j];
    dskip[j] = k.ds[j];
  }

  for (int64_t t0 = 0; t0 < L; t0 += kTile) {
    const int64_t tn = std::min(kTile, L - t0);
    int64_t* pos = s->pos;
    fill_positions(k.order, t0, tn, k.height, k.width, pos);
    for (int j = 0; j < k.lanes; ++j) {
      const float* u_row = k.u + j * k.lane_stride;
      const float* delta_row = k.delta + j * k.lane_stride;
      if (k.inputs_reversed) {
        for (int64_t t = 0; t < tn; ++t) {
          s->u[t][j] = u_row[L - 1 - t0 - t];
          s->delta[t][j] = delta_row[L - 1 - t0 - t];
        }
      } else {
        for (int64_t t = 0; t < tn; ++t) {
          s->u[t][j] = u_row[t0 + t];
          s->delta[t][j] = delta_row[t0 + t];
        }
      }
    }
    for (int64_t t = 0; t < tn; ++t) {
      F dt = softplus_v<W>(*reinterpret_cast<const F*>(s->delta[t]) + bias);
      s->dt[t] = dt;
      s->du[t] = dt * *reinterpret_cast<const F*>(s->u[t]);
    }
    for (int64_t t = 0; t < tn; ++t) {
      const F dt = s->dt[t], du = s->du[t];
      const float* bs = k.bs + pos[t];
      const float* cs = k.cs + pos[t];
      F acc = splat<W>(0.0f);
#pragma GCC unroll 16  // fully, for NS > 0: the states then stay in registers
      for (int64_t n = 0; n < N; ++n) {
        const F decay = exp_v<W, kNegativeA>(dt * a[n]);
        h[n] = decay * h[n] + du * bs[n * L];
        acc += h[n] * cs[n * L];
      }
      s->y[t] = acc + dskip * *reinterpret_cast<const F*>(s->u[t]);
    }
    if (kChannelsLast && k.lanes == W) {
      for (int64_t t = 0; t < tn; ++t) {
        float* y = k.y + pos[t] * k.y_pos_stride;
        const F v = k.accumulate ? s->y[t] + load_unaligned<W>(y) : s->y[t];
        __builtin_memcpy(y, &v, sizeof(v));
      }
    } else {
      for (int j = 0; j < k.lanes; ++j) {
        float* y = k.y + j * k.y_lane_stride;
        for (int64_t t = 0; t < tn; ++t) {
          float& out = y[pos[t] * k.y_pos_stride];
          out = k.accumulate ? out + s->y[t][j] : s->y[t][j];
        }
      }
    }
  }
  free(a);
}

template <int W, bool kNegativeA, bool kChannelsLast>
MAMBAIR_INLINE void scan_states(const Block& k) {
  switch (k.states) {
    case 16: scan_block<W, 16, kNegativeA, kChannelsLast>(k); break;
    case 10: scan_block<W, 10, kNegativeA, kChannelsLast>(k); break;
    default: scan_block<W, 0, kNegativeA, kChannelsLast>(k); break;
  }
}

template <int W, bool kChannelsLast>
MAMBAIR_INLINE void scan_any(const Block& k) {
  bool negative = true;
  for (int64_t i = 0; i < k.lanes * k.states; ++i) negative = negative && !(k.a[i] > 0.0f);
  if (negative) {
    scan_states<W, true, kChannelsLast>(k);
  } else {
    scan_states<W, false, kChannelsLast>(k);
  }
}

// Work item of ScanProblem: channels d0 .. d0 + lanes - 1 (all of group g) of batch element b.
template <int W>
MAMBAIR_INLINE void scan_item(const ScanProblem& p, int64_t item) {
  const int64_t per_group = p.channels / p.groups;
  const int64_t blocks = (per_group + W - 1) / W;
  const int64_t block = item % blocks;
  const int64_t g = (item / blocks) % p.groups;
  const int64_t b = item / (blocks * p.groups);
  const int64_t first = block * W;
  const int64_t d0 = g * per_group + first;
  const int64_t L = p.length, N = p.states;
  Block k{};
  k.lanes = static_cast<int>(std::min<int64_t>(W, per_group - first));
  k.length = L;
  k.states = N;
  k.height = 1;
  k.width = L;
  k.order = Order::kRows;
  k.inputs_reversed = false;
  k.u = p.u + (b * p.channels + d0) * L;
  k.delta = p.delta + (b * p.channels + d0) * L;
  k.lane_stride = L;
  k.a = p.a + d0 * N;
  k.ds = p.ds + d0;
  k.delta_bias = p.delta_bias + d0;
  k.bs = p.bs + (b * p.groups + g) * N * L;
  k.cs = p.cs + (b * p.groups + g) * N * L;
  k.y = p.y + (b * p.channels + d0) * L;
  k.y_lane_stride = L;
  k.y_pos_stride = 1;
  k.accumulate = false;
  scan_any<W, false>(k);
}

// rows (lanes of length height * width) of src, each transposed from (height, width) to (width, height).
void transpose_rows(const float* src, int64_t lanes, int64_t height, int64_t width, float* dst) {
  const int64_t L = height * width;
  for (int64_t j = 0; j < lanes; ++j) {
    const float* in = src + j * L;
    float* out = dst + j * L;
    for (int64_t h = 0; h < height; ++h) {
      for (int64_t w = 0; w < width; ++w) out[w * height + h] = in[h * width + w];
    }
  }
}

// Work item of Scan2DProblem: one axis (rows: directions 0 and 2; columns: 1 and 3) of channels
// e0 .. e0 + lanes - 1 of batch element b, summed into y (rows) or y_columns (columns). The columns' u and
// delta are first transposed to column-major order, so that the scan reads them sequentially (gathering
// them down the columns would miss the cache at every step).
template <int W>
MAMBAIR_INLINE void scan2d_item(const Scan2DProblem& p, int64_t item) {
  const int64_t E = p.channels, N = p.states, L = p.height * p.width;
  const int64_t blocks = (E + W - 1) / W;
  const int64_t axis = item % 2;
  const int64_t e0 = (item / 2) % blocks * W;
  const int64_t b = item / (2 * blocks);
  const int lanes = static_cast<int>(std::min<int64_t>(W, E - e0));
  float* columns = nullptr;
  if (axis == 1) {
    columns = static_cast<float*>(aligned_alloc(64, sizeof(float) * 2 * W * L));
    if (columns == nullptr) abort();
    transpose_rows(p.u + (b * E + e0) * L, lanes, p.height, p.width, columns);
  }
  for (int64_t pass = 0; pass < 2; ++pass) {
    const int64_t dir = axis + 2 * pass;  // official direction index k
    const float* delta = p.delta + ((b * 4 + dir) * E + e0) * L;
    Block k{};
    k.lanes = lanes;
    k.length = L;
    k.states = N;
    k.height = p.height;
    k.width = p.width;
    k.order = axis == 0 ? (pass == 0 ? Order::kRows : Order::kRowsReversed)
                        : (pass == 0 ? Order::kColumns : Order::kColumnsReversed);
    k.inputs_reversed = pass == 1;
    if (axis == 1) transpose_rows(delta, lanes, p.height, p.width, columns + W * L);
    k.u = axis == 0 ? p.u + (b * E + e0) * L : columns;
    k.delta = axis == 0 ? delta : columns + W * L;
    k.lane_stride = L;
    k.a = p.a + (dir * E + e0) * N;
    k.ds = p.ds + dir * E + e0;
    k.delta_bias = p.delta_bias + dir * E + e0;
    k.bs = p.bs + (b * 4 + dir) * N * L;
    k.cs = p.cs + (b * 4 + dir) * N * L;
    k.y = (axis == 0 ? p.y : p.y_columns) + b * L * E + e0;
    k.y_lane_stride = 1;
    k.y_pos_stride = E;
    k.accumulate = pass == 1;
    scan_any<W, true>(k);
  }
  free(columns);
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) void scan_item_avx512(const ScanProblem& p, int64_t item) {
  scan_item<16>(p, item);
}
__attribute__((target("avx512f"))) void scan2d_item_avx512(const Scan2DProblem& p, int64_t item) {
  scan2d_item<16>(p, item);
}
__attribute__((target("avx2,fma"))) void scan_item_avx2(const ScanProblem& p, int64_t item) {
  scan_item<8>(p, item);
}
__attribute__((target("avx2,fma"))) void scan2d_item_avx2(const Scan2DProblem& p, int64_t item) {
  scan2d_item<8>(p, item);
}
#endif
void scan_item_generic(const ScanProblem& p, int64_t item) { scan_item<4>(p, item); }
void scan2d_item_generic(const Scan2DProblem& p, int64_t item) { scan2d_item<4>(p, item); }

struct Dispatch {
  int width;
  void (*run)(const ScanProblem&, int64_t);
  void (*run2d)(const Scan2DProblem&, int64_t);
  const char* isa;
};

Dispatch choose() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return {16, scan_item_avx512, scan2d_item_avx512, "avx512f"};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    return {8, scan_item_avx2, scan2d_item_avx2, "avx2"};
  }
#endif
  return {4, scan_item_generic, scan2d_item_generic, "generic"};
}

const Dispatch& dispatch() {
  static const Dispatch chosen = choose();
  return chosen;
}

constexpr int64_t kMergeChunk = 4096;  // values of y per merge work item

}  // namespace

int64_t scan_work_items(const ScanProblem& p) {
  const int64_t width = dispatch().width;
  const int64_t per_group = p.channels / p.groups;
  return p.batch * p.groups * ((per_group + width - 1) / width);
}

void scan_work_item(const ScanProblem& p, int64_t item) { dispatch().run(p, item); }

int64_t scan2d_work_items(const Scan2DProblem& p) {
  const int64_t width = dispatch().width;
  return p.batch * 2 * ((p.channels + width - 1) / width);
}

void scan2d_work_item(const Scan2DProblem& p, int64_t item) { dispatch().run2d(p, item); }

int64_t scan2d_merge_items(const Scan2DProblem& p) {
  return (p.batch * p.height * p.width * p.channels + kMergeChunk - 1) / kMergeChunk;
}

void scan2d_merge_item(const Scan2DProblem& p, int64_t item) {
  const int64_t total = p.batch * p.height * p.width * p.channels;
  const int64_t end = std::min(total, (item + 1) * kMergeChunk);
  for (int64_t i = item * kMergeChunk; i < end; ++i) p.y[i] += p.y_columns[i];
}

const char* scan_kernel_isa() { return dispatch().isa; }

}  // namespace mambair
