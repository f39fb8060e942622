#!/usr/bin/env bash
# Builds libmambair_scan.so (the io.mambair::SelectiveScan ONNX Runtime custom operator) into
# <classes dir>/native/<os>-<arch>/ so that it is packaged in the model-runtime jar. Called by Maven
# (model-runtime/pom.xml); rebuilds only when a source is newer than the library. Needs g++.
set -euo pipefail

classes_dir="$1"
src_dir="$(cd "$(dirname "$0")" && pwd)"
os="$(uname -s | tr '[:upper:]' '[:lower:]')"
arch="$(uname -m)"
case "$arch" in
  amd64) arch=x86_64 ;;
  arm64) arch=aarch64 ;;
esac
if [ "$os" != linux ]; then
  echo "[mambair-scan] $os is not supported (Linux only); the fused selective scan is not packaged" >&2
  exit 0
fi

out_dir="$classes_dir/native/$os-$arch"
lib="$out_dir/libmambair_scan.so"
sources=("$src_dir"/*.cc)
if [ -f "$lib" ] && [ -z "$(find "$src_dir" -newer "$lib" -type f)" ]; then
  exit 0
fi

mkdir -p "$out_dir"

# --- CUDA SelectiveScan2D (cuda/): PTX by clang's NVPTX backend, no CUDA toolkit -------------------------------
# The kernel compiles to PTX for sm_80 at ISA <= 7.8 (every CUDA 11.8+ driver JIT-compiles it for Ampere through
# Blackwell); the PTX is embedded in the library (.incbin) and kept in target/cuda/ for gpu/device-check.sh. The
# host launcher opens libcuda.so.1 with dlopen at run time; nothing CUDA is linked.
cuda_dir="$src_dir/cuda"
ptx_dir="$(dirname "$classes_dir")/cuda"
ptx="$ptx_dir/scan2d_kernel.ptx"
mkdir -p "$ptx_dir"
"${CLANG:-clang}" -x cuda --cuda-device-only --cuda-gpu-arch=sm_80 -nocudainc -nocudalib -Wno-unknown-cuda-version \
  -std=c++17 -O3 -Wall -Wextra -S -o "$ptx.tmp" "$cuda_dir/scan2d_kernel.cu" || {
  echo "[mambair-scan] the CUDA kernel needs clang with the NVPTX target (Debian: apt-get install clang)" >&2; exit 1; }
ptx_version="$(sed -n 's/^\.version \([0-9]*\.[0-9]*\).*/\1/p' "$ptx.tmp")"
ptx_target="$(sed -n 's/^\.target sm_\([0-9]*\).*/\1/p' "$ptx.tmp")"
if ! awk -v v="$ptx_version" -v t="$ptx_target" 'BEGIN { exit !(v != "" && v + 0 <= 7.8 && t != "" && t + 0 <= 80) }'; then
  echo "[mambair-scan] PTX .version $ptx_version / .target sm_$ptx_target: need <= 7.8 and <= sm_80" >&2; exit 1
fi
mv "$ptx.tmp" "$ptx"
printf '\t.section .rodata\n\t.globl mambair_scan2d_ptx\n\t.hidden mambair_scan2d_ptx\nmambair_scan2d_ptx:\n\t.incbin "%s"\n\t.byte 0\n\t.section .note.GNU-stack,"",%%progbits\n' \
  "$ptx" > "$ptx_dir/scan2d_ptx.S"
sources+=("$cuda_dir"/*.cc "$ptx_dir/scan2d_ptx.S")
cuda_libs=(-ldl -lpthread)
# --- end CUDA ---------------------------------------------------------------------------------------------------

# -fno-math-errno only drops errno writes; the kernel's math is IEEE float32 as written (no -ffast-math).
# libstdc++ and libgcc are linked statically and hidden, so the library depends on libc alone; the version
# script exports RegisterCustomOps only. -z nodelete keeps the code mapped after dlclose: ONNX Runtime Java
# unloads custom-op libraries when SessionOptions closes, while sessions created from them may still run.
"${CXX:-g++}" -std=c++17 -O3 -fPIC -shared -fvisibility=hidden -fno-math-errno -Wall -Wextra -Wno-psabi \
  -static-libstdc++ -static-libgcc -Wl,--exclude-libs,ALL -Wl,--version-script="$src_dir/exports.map" -Wl,-z,noexecstack -Wl,-z,nodelete -s \
  -o "$lib.tmp" "${sources[@]}" "${cuda_libs[@]}"
mv "$lib.tmp" "$lib"
echo "[mambair-scan] built $lib"
