// The float32 exp and log polynomials (Cephes) shared by the CPU operator (selective_scan_kernel.cc) and the CUDA
// kernel (cuda/scan2d_kernel.cu), so both compute softplus alike. Written once for scalar floats and GCC/clang
// vectors of floats: F is either, and only + - * with float constants are used (range checks, selects and bit
// casts stay with the caller, where scalar and vector code differ). The includer defines MAMBAIR_MATH_FN, the
// qualifiers of its own inline functions (device functions for CUDA).
#pragma once

#ifndef MAMBAIR_MATH_FN
#error "define MAMBAIR_MATH_FN before including scan_math.h"
#endif

namespace mambair_math {

// exp is accurate to about 1 ulp on [kExpLo, kExpHi]; callers clamp to it.
constexpr float kExpLo = -87.33654f;
constexpr float kExpHi = 88.37626f;
constexpr float kLog2e = 1.44269504088896341f;
// log's reduction: a mantissa m below sqrt(1/2) is doubled (and the exponent lowered) so m - 1 is small.
constexpr float kSqrtHalf = 0.707106781186547524f;

// e^x for x in [kExpLo, kExpHi] as p * 2^n: returns p and sets t, whose low mantissa bits hold n + 127 (the
// biased exponent of 2^n, for the caller to shift into place). n = round(x / ln 2) with the 1.5 * 2^23 shifter;
// r = x - n ln 2 with one FMA (n ln 2 exact inside the FMA); p = 1 + r + r^2 P(r).
template <typename F>
MAMBAIR_MATH_FN F exp_mantissa(F x, F& t) {
  const float shifter = 12582912.0f + 127.0f;
  t = x * kLog2e + shifter;
  const F n = t - shifter;
  const F r = x - n * 0.693147180559945309f;
  F p = r * 1.9875691500e-4f + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  return p * (r * r) + r + 1.0f;
}

// log(x) from its reduction x = (1 + m) 2^e, m in [sqrt(1/2) - 1, sqrt(2) - 1).
template <typename F>
MAMBAIR_MATH_FN F log_reduced(F m, F e) {
  const F z = m * m;
  F p = m * 7.0376836292e-2f - 1.1514610310e-1f;
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

}  // namespace mambair_math
