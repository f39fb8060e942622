// Vectorised selective scan. Channels of one group share Bs and Cs, so W channels are scanned together
// in one SIMD vector (GCC vector extensions; W = 16 on AVX-512, 8 on AVX2, 4 elsewhere) with the states loop inside:
// per time step and state one vector exp, two FMAs and a multiply, no horizontal reductions. W = 1 is the
// generic path (plain scalar code, any CPU).
//
// exp, log and softplus are hand-written Cephes-style polynomials (float32, about 1-2 ulp): libm has no
// vector entry points that GCC uses without -ffast-math, and -ffast-math would also relax the softplus
// threshold and NaN semantics the operator contract fixes.
#include "selective_scan_kernel.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#if defined(__aarch64__)
#include <sys/auxv.h>
#endif

namespace mambair {
namespace {

constexpr int64_t kTile = 64;  // time steps per transposed tile

inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

// x rounded up to a multiple of kScratchAlignment.
constexpr size_t round_up(size_t x) { return (x + kScratchAlignment - 1) / kScratchAlignment * kScratchAlignment; }

#define MAMBAIR_INLINE inline __attribute__((always_inline))
#define MAMBAIR_MATH_FN MAMBAIR_INLINE
#include "scan_math.h"

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
  F xc = x < mambair_math::kExpLo ? splat<W>(mambair_math::kExpLo) : x;
  if (!kNonPositive) xc = xc > mambair_math::kExpHi ? splat<W>(mambair_math::kExpHi) : xc;
  F t;
  const F p = mambair_math::exp_mantissa(xc, t);
  const F result = p * (F)((I)t << 23);
  if (kNonPositive) return result;
  return x > mambair_math::kExpHi ? splat<W>(__builtin_inff()) : result;
}

// Natural log for x >= 1 (finite, normal).
template <int W>
MAMBAIR_INLINE typename Vec<W>::F log_ge1_v(typename Vec<W>::F x) {
  typedef typename Vec<W>::F F;
  typedef typename Vec<W>::I I;
  I bits = (I)x;
  F e = __builtin_convertvector(((bits >> 23) & 0xff) - 126, F);
  F m = (F)((bits & 0x807fffff) | 0x3f000000);  // mantissa in [0.5, 1)
  auto small = m < mambair_math::kSqrtHalf;
  e = small ? e - 1.0f : e;
  m = small ? m + m - 1.0f : m - 1.0f;
  return mambair_math::log_reduced(m, e);
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

// Scratch of one block of W channels: inputs gathered as plain floats (lane j of step t at [t][j]), then read as
// whole vectors.
template <int W>
struct Scratch {
  typedef typename Vec<W>::F F;
  alignas(64) float u[kTile][W];
  alignas(64) float delta[kTile][W];
  F dt[kTile], du[kTile], y[kTile];
  int64_t pos[kTile];
};

// A slot's scratch, every part at a multiple of kScratchAlignment: A and the state of the W lanes (N vectors
// each), the Scratch, then (2-D scans only) the column-major copies of u and delta (W * L floats each).
template <int W>
struct SlotLayout {
  size_t states, scratch, columns;  // byte offsets
  size_t bytes;                     // 0: too large to address

  SlotLayout(int64_t n, int64_t length, bool with_columns) {
    const size_t vectors = round_up(static_cast<size_t>(n) * sizeof(typename Vec<W>::F));
    states = vectors;
    scratch = 2 * vectors;
    columns = scratch + round_up(sizeof(Scratch<W>));
    size_t column_bytes = 0;
    bytes = 0;
    if (with_columns && __builtin_mul_overflow(static_cast<size_t>(length), 2 * W * sizeof(float), &column_bytes)) return;
    if (column_bytes > SIZE_MAX / 2 - columns) return;
    bytes = columns + round_up(column_bytes);
  }
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
MAMBAIR_INLINE void scan_block(const Block& k, char* slot) {
  typedef typename Vec<W>::F F;
  const int64_t L = k.length, N = NS > 0 ? NS : k.states;
  const SlotLayout<W> layout(N, 0, false);
  F* a = reinterpret_cast<F*>(slot);
  F* h_mem = reinterpret_cast<F*>(slot + layout.states);
  Scratch<W>* s = reinterpret_cast<Scratch<W>*>(slot + layout.scratch);
  memset(slot, 0, layout.columns);
  F h_reg[NS > 0 ? NS : 1] = {};
  F* h = NS > 0 ? h_reg : h_mem;

  F bias = splat<W>(0.0f), dskip = splat<W>(0.0f);
  for (int j = 0; j < k.lanes; ++j) {
    for (int64_t n = 0; n < N; ++n) a[n][j] = k.a[j * N + n];
    bias[j] = k.delta_bias[j];
    dskip[j] = k.ds[j];
  }

  for (int64_t t0 = 0; t0 < L; t0 += kTile) {
    const int64_t tn = min64(kTile, L - t0);
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
}

template <int W, bool kNegativeA, bool kChannelsLast>
MAMBAIR_INLINE void scan_states(const Block& k, char* slot) {
  switch (k.states) {
    case 16: scan_block<W, 16, kNegativeA, kChannelsLast>(k, slot); break;
    case 10: scan_block<W, 10, kNegativeA, kChannelsLast>(k, slot); break;
    default: scan_block<W, 0, kNegativeA, kChannelsLast>(k, slot); break;
  }
}

template <int W, bool kChannelsLast>
MAMBAIR_INLINE void scan_any(const Block& k, char* slot) {
  bool negative = true;
  for (int64_t i = 0; i < k.lanes * k.states; ++i) negative = negative && !(k.a[i] > 0.0f);
  if (negative) {
    scan_states<W, true, kChannelsLast>(k, slot);
  } else {
    scan_states<W, false, kChannelsLast>(k, slot);
  }
}

// Work item of ScanProblem: channels d0 .. d0 + lanes - 1 (all of group g) of batch element b.
template <int W>
MAMBAIR_INLINE void scan_item(const ScanProblem& p, int64_t item, char* slot) {
  const int64_t per_group = p.channels / p.groups;
  const int64_t blocks = (per_group + W - 1) / W;
  const int64_t block = item % blocks;
  const int64_t g = (item / blocks) % p.groups;
  const int64_t b = item / (blocks * p.groups);
  const int64_t first = block * W;
  const int64_t d0 = g * per_group + first;
  const int64_t L = p.length, N = p.states;
  Block k{};
  k.lanes = static_cast<int>(min64(W, per_group - first));
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
  scan_any<W, false>(k, slot);
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
// e0 .. e0 + lanes - 1 of batch element b, summed into y (rows) or y_columns (columns; the merge items add it to
// y). Adding the columns straight into y instead cost about a quarter more CPU time on classic SR (scan_bench).
// The columns' u and delta are first transposed to column-major order in the slot's scratch, so that the scan
// reads them sequentially (gathering them down the columns would miss the cache at every step).
template <int W>
MAMBAIR_INLINE void scan2d_item(const Scan2DProblem& p, int64_t item, char* slot, float* y_columns) {
  const int64_t E = p.channels, N = p.states, L = p.height * p.width;
  const int64_t blocks = (E + W - 1) / W;
  const int64_t axis = item % 2;
  const int64_t e0 = (item / 2) % blocks * W;
  const int64_t b = item / (2 * blocks);
  const int lanes = static_cast<int>(min64(W, E - e0));
  float* columns = reinterpret_cast<float*>(slot + SlotLayout<W>(N, L, true).columns);
  if (axis == 1) transpose_rows(p.u + (b * E + e0) * L, lanes, p.height, p.width, columns);
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
    k.y = (axis == 0 ? p.y : y_columns) + b * L * E + e0;
    k.y_lane_stride = 1;
    k.y_pos_stride = E;
    k.accumulate = pass == 1;
    scan_any<W, true>(k, slot);
  }
}

// The paths of one vector width: every work item of a slot, one after another, in the slot's part of scratch.
template <int W>
MAMBAIR_INLINE void run_slot(const ScanProblem& p, const ScanPlan& plan, char* scratch, int64_t first) {
  char* slot = scratch + plan.shared_bytes + first * plan.slot_bytes;
  for (int64_t item = first; item < plan.items; item += plan.slots) scan_item<W>(p, item, slot);
}
template <int W>
MAMBAIR_INLINE void run_slot_2d(const Scan2DProblem& p, const ScanPlan& plan, char* scratch, int64_t first) {
  char* slot = scratch + plan.shared_bytes + first * plan.slot_bytes;
  float* y_columns = reinterpret_cast<float*>(scratch);
  for (int64_t item = first; item < plan.items; item += plan.slots) scan2d_item<W>(p, item, slot, y_columns);
}

typedef void (*SlotFn)(const ScanProblem&, const ScanPlan&, char*, int64_t);
typedef void (*SlotFn2D)(const Scan2DProblem&, const ScanPlan&, char*, int64_t);

#define MAMBAIR_PATH(name, target, width)                                                                   \
  target void name##_slot(const ScanProblem& p, const ScanPlan& plan, char* slot, int64_t first) {           \
    run_slot<width>(p, plan, slot, first);                                                                   \
  }                                                                                                          \
  target void name##_slot_2d(const Scan2DProblem& p, const ScanPlan& plan, char* slot, int64_t first) {      \
    run_slot_2d<width>(p, plan, slot, first);                                                                \
  }

#if defined(__x86_64__)
MAMBAIR_PATH(avx512, __attribute__((target("avx512f"))), 16)
MAMBAIR_PATH(avx2, __attribute__((target("avx2,fma"))), 8)
bool has_avx512() { return __builtin_cpu_supports("avx512f"); }
bool has_avx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
#endif
#if defined(__aarch64__)
MAMBAIR_PATH(neon, , 4)  // Advanced SIMD is part of the AArch64 base ISA; float32x4 vectors
bool has_neon() { return (getauxval(AT_HWCAP) & (1UL << 1)) != 0; }  // HWCAP_ASIMD
#endif
MAMBAIR_PATH(generic, , 1)
bool always() { return true; }

struct Path {
  const char* isa;
  int width;
  SlotFn run;
  SlotFn2D run2d;
  bool (*supported)();
};

constexpr Path kPaths[] = {  // best first
#if defined(__x86_64__)
    {"avx512", 16, avx512_slot, avx512_slot_2d, has_avx512},
    {"avx2", 8, avx2_slot, avx2_slot_2d, has_avx2},
#endif
#if defined(__aarch64__)
    {"neon", 4, neon_slot, neon_slot_2d, has_neon},
#endif
    {"generic", 1, generic_slot, generic_slot_2d, always},
};
constexpr int kPathCount = sizeof(kPaths) / sizeof(kPaths[0]);

const Path* g_path = &kPaths[kPathCount - 1];  // set at load, before any scan
int64_t g_max_slots = 1;
char g_isas[64];

__attribute__((constructor(101))) void choose_path() {
#if defined(__x86_64__)
  __builtin_cpu_init();
#endif
  size_t used = 0;
  for (int i = kPathCount - 1; i >= 0; --i) {
    if (kPaths[i].supported()) g_path = &kPaths[i];
  }
  for (int i = 0; i < kPathCount; ++i) {
    if (!kPaths[i].supported()) continue;
    const int n = snprintf(g_isas + used, sizeof(g_isas) - used, "%s%s", used ? ", " : "", kPaths[i].isa);
    if (n > 0) used += static_cast<size_t>(n) < sizeof(g_isas) - used ? static_cast<size_t>(n) : 0;
  }
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  g_max_slots = cpus < 1 ? 1 : cpus > 256 ? 256 : cpus;
}

constexpr int64_t kMergeChunk = 4096;  // values of y per merge item

// A plan of `items` items with slots of `slot_bytes` after `shared_bytes` (a multiple of kScratchAlignment), or
// bytes = 0 when slot_bytes is 0 or the total overflows.
ScanPlan make_plan(int64_t items, size_t slot_bytes, size_t shared_bytes, int64_t merges) {
  ScanPlan plan{items, min64(items, g_max_slots), slot_bytes, shared_bytes, 0, merges};
  size_t slots_bytes = 0;
  if (slot_bytes == 0 || __builtin_mul_overflow(static_cast<size_t>(plan.slots), slot_bytes, &slots_bytes) ||
      __builtin_add_overflow(slots_bytes, shared_bytes, &plan.bytes)) {
    plan.bytes = 0;
  }
  return plan;
}

// SlotLayout<W>(...).bytes for the chosen path's width.
size_t slot_bytes(int64_t states, int64_t length, bool with_columns) {
  switch (g_path->width) {
    case 16: return SlotLayout<16>(states, length, with_columns).bytes;
    case 8: return SlotLayout<8>(states, length, with_columns).bytes;
    case 4: return SlotLayout<4>(states, length, with_columns).bytes;
    default: return SlotLayout<1>(states, length, with_columns).bytes;
  }
}

}  // namespace

ScanPlan scan_plan(const ScanProblem& p) {
  const int64_t width = g_path->width;
  const int64_t per_group = p.channels / p.groups;
  return make_plan(p.batch * p.groups * ((per_group + width - 1) / width), slot_bytes(p.states, p.length, false), 0, 0);
}

void scan_run_slot(const ScanProblem& p, const ScanPlan& plan, void* scratch, int64_t slot) {
  g_path->run(p, plan, static_cast<char*>(scratch), slot);
}

ScanPlan scan2d_plan(const Scan2DProblem& p) {
  const int64_t width = g_path->width;
  const int64_t values = p.batch * p.height * p.width * p.channels;
  size_t y_bytes = 0;
  if (__builtin_mul_overflow(static_cast<size_t>(values), sizeof(float), &y_bytes) || y_bytes > SIZE_MAX / 2) {
    return ScanPlan{0, 0, 0, 0, 0, 0};
  }
  return make_plan(2 * p.batch * ((p.channels + width - 1) / width), slot_bytes(p.states, p.height * p.width, true),
                   round_up(y_bytes), (values + kMergeChunk - 1) / kMergeChunk);
}

void scan2d_run_slot(const Scan2DProblem& p, const ScanPlan& plan, void* scratch, int64_t slot) {
  g_path->run2d(p, plan, static_cast<char*>(scratch), slot);
}

void scan2d_merge_item(const Scan2DProblem& p, const ScanPlan&, const void* scratch, int64_t item) {
  const float* y_columns = static_cast<const float*>(scratch);
  const int64_t end = min64(p.batch * p.height * p.width * p.channels, (item + 1) * kMergeChunk);
  for (int64_t i = item * kMergeChunk; i < end; ++i) p.y[i] += y_columns[i];
}

const char* scan_kernel_isa() { return g_path->isa; }

bool scan_kernel_select(const char* isa) {
  for (const Path& path : kPaths) {
    if (strcmp(path.isa, isa) == 0 && path.supported()) {
      g_path = &path;
      return true;
    }
  }
  return false;
}

const char* scan_kernel_isas() { return g_isas; }

}  // namespace mambair
