// The CUDA dialect the scan kernels are written in, without CUDA headers. Compiled two ways from the same source:
// - by clang for NVPTX (--cuda-device-only -nocudainc -nocudalib): CUDA attributes and NVVM builtins;
// - for the host by the emulator (MAMBAIR_CUDA_EMULATOR): the block/thread ids and the barrier come from the
//   emulator's scheduler (model-runtime/src/test/native/cuda_emulator), shared memory is a plain static array
//   (the emulator runs one block at a time) and the approximate exp2 is libm's exp2f.
#pragma once

#include <stdint.h>

struct MambairDim3 {
  unsigned x, y, z;
};

#if defined(__CUDA__) && defined(__CUDA_ARCH__)

#define MAMBAIR_KERNEL extern "C" __attribute__((global))
#define MAMBAIR_DEVICE static __attribute__((device)) inline __attribute__((always_inline))
#define MAMBAIR_SHARED static __attribute__((shared))
#define MAMBAIR_THREAD_IDX \
  (MambairDim3{(unsigned)__nvvm_read_ptx_sreg_tid_x(), (unsigned)__nvvm_read_ptx_sreg_tid_y(), (unsigned)__nvvm_read_ptx_sreg_tid_z()})
#define MAMBAIR_BLOCK_IDX \
  (MambairDim3{(unsigned)__nvvm_read_ptx_sreg_ctaid_x(), (unsigned)__nvvm_read_ptx_sreg_ctaid_y(), (unsigned)__nvvm_read_ptx_sreg_ctaid_z()})
#define MAMBAIR_BLOCK_DIM \
  (MambairDim3{(unsigned)__nvvm_read_ptx_sreg_ntid_x(), (unsigned)__nvvm_read_ptx_sreg_ntid_y(), (unsigned)__nvvm_read_ptx_sreg_ntid_z()})
#define MAMBAIR_SYNC_THREADS() __nvvm_bar_sync(0)
// Read-only (non-coherent) load: inputs are never written during a launch.
#define MAMBAIR_LOAD(p) __nvvm_ldg_f(p)
// 2^x, about 2 ulp, subnormal results flushed to zero (what the official kernel's __expf does).
#define MAMBAIR_EXP2_APPROX(x) __nvvm_ex2_approx_ftz_f(x)

#elif defined(MAMBAIR_CUDA_EMULATOR)

#include <math.h>

// Set by the emulator's scheduler before each emulated thread runs.
extern MambairDim3 mambair_emu_thread_idx, mambair_emu_block_idx, mambair_emu_block_dim;
void mambair_emu_sync_threads();

#define MAMBAIR_KERNEL extern "C"
#define MAMBAIR_DEVICE static inline
#define MAMBAIR_SHARED static
#define MAMBAIR_THREAD_IDX mambair_emu_thread_idx
#define MAMBAIR_BLOCK_IDX mambair_emu_block_idx
#define MAMBAIR_BLOCK_DIM mambair_emu_block_dim
#define MAMBAIR_SYNC_THREADS() mambair_emu_sync_threads()
#define MAMBAIR_LOAD(p) (*(p))
#define MAMBAIR_EXP2_APPROX(x) exp2f(x)

#else
#error "cuda_dialect.h: compile with clang for NVPTX (-x cuda --cuda-device-only) or define MAMBAIR_CUDA_EMULATOR"
#endif
