#!/usr/bin/env bash
# Builds libmambair_scan.so (the io.mambair ONNX Runtime custom operators) for every Linux target this machine
# has a compiler for, into <classes dir>/native/linux-<arch>/ so that the model-runtime jar carries them all:
#   linux-x86_64   host g++/gcc on x86-64, else x86_64-linux-gnu-g++, else clang --target=x86_64-linux-gnu
#   linux-aarch64  host g++/gcc on aarch64, else aarch64-linux-gnu-g++, else clang --target=aarch64-linux-gnu
# A target without a usable compiler is skipped with one warning, and a file libmambair_scan.so.missing in its
# folder says why (FusedScanLibrary reports it); the build still succeeds. Called by Maven (model-runtime/pom.xml);
# rebuilds a target only when a file under this folder (other than *.md) or the PTX is newer than its library.
#
# The library is freestanding C++: C headers only, no exceptions, RTTI or thread-safe statics, and it is linked
# by the C driver, so it needs no libstdc++ and nothing but libc (symbol versions up to GLIBC_2.17).
set -euo pipefail

classes_dir="$1"
src_dir="$(cd "$(dirname "$0")" && pwd)"
lib_name=libmambair_scan.so

# Sources of every target. Further blocks (e.g. a GPU launcher) append their sources here.
sources=("$src_dir/selective_scan_kernel.cc" "$src_dir/selective_scan_op.cc")

# -fno-math-errno only drops errno writes; the kernel's math is IEEE float32 as written (no -ffast-math).
cxx_flags=(-std=c++17 -O3 -fPIC -fvisibility=hidden -fno-math-errno -fno-exceptions -fno-rtti -fno-threadsafe-statics
           -Wall -Wextra -Wno-psabi)
# --no-undefined: every symbol resolves against libc at link time (a stray C++ runtime reference fails here).
# The version script exports RegisterCustomOps only. -z nodelete keeps the code mapped after dlclose: ONNX Runtime
# Java unloads custom-op libraries when SessionOptions closes, while sessions created from them may still run.
link_flags=(-shared -static-libgcc -Wl,--no-undefined -Wl,--as-needed -Wl,--version-script="$src_dir/exports.map"
            -Wl,-z,noexecstack -Wl,-z,nodelete -s)

warn() { echo "[mambair-scan] WARNING: $*" >&2; }

# Prints "<c++ compiler>|<c driver>" for a target architecture, or nothing when this machine has none.
toolchain_for() {
  local arch="$1" host
  host="$(uname -m)"
  if [ "$host" = "$arch" ] && command -v "${CXX:-g++}" >/dev/null && command -v "${CC:-gcc}" >/dev/null; then
    echo "${CXX:-g++}|${CC:-gcc}"
  elif command -v "$arch-linux-gnu-g++" >/dev/null && command -v "$arch-linux-gnu-gcc" >/dev/null; then
    echo "$arch-linux-gnu-g++|$arch-linux-gnu-gcc"
  elif command -v clang++ >/dev/null && command -v clang >/dev/null && command -v ld.lld >/dev/null; then
    echo "clang++ --target=$arch-linux-gnu|clang --target=$arch-linux-gnu -fuse-ld=lld"
  fi
}

# Succeeds when the toolchain compiles C++ with C headers and links a shared library for its target.
toolchain_works() {
  local cxx="$1" cc="$2" dir="$3"
  printf '#include <stdlib.h>\nextern "C" void* mambair_probe(size_t n) { return malloc(n); }\n' > "$dir/probe.cc"
  $cxx "${cxx_flags[@]}" -c "$dir/probe.cc" -o "$dir/probe.o" 2>/dev/null &&
    $cc -shared "$dir/probe.o" -o "$dir/probe.so" 2>/dev/null
}

# build_target <arch>: native/linux-<arch>/libmambair_scan.so, or its .missing note.
build_target() {
  local arch="$1" out_dir="$classes_dir/native/linux-$1"
  local lib="$out_dir/$lib_name" missing="$out_dir/$lib_name.missing"
  if [ -f "$lib" ] && [ -z "$(find "$src_dir" "$ptx" -newer "$lib" -type f ! -name "*.md")" ]; then
    return 0
  fi
  mkdir -p "$out_dir"
  local work toolchain cxx cc
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  toolchain="$(toolchain_for "$arch")"
  cxx="${toolchain%%|*}"
  cc="${toolchain#*|}"
  if [ -z "$toolchain" ] || ! toolchain_works "$cxx" "$cc" "$work"; then
    local why="no working C++ compiler for linux-$arch on the build machine (${toolchain:+tried ${cxx}; }wanted g++ on an $arch host, $arch-linux-gnu-g++, or clang with ld.lld and the $arch C library headers)"
    warn "$lib_name for linux-$arch is NOT built: $why; the fused selective scan is unavailable on linux-$arch"
    rm -f "$lib"
    echo "$why" > "$missing"
    return 0
  fi
  local objects=() source
  for source in "${sources[@]}"; do
    $cxx "${cxx_flags[@]}" -c "$source" -o "$work/$(basename "$source").o"
    objects+=("$work/$(basename "$source").o")
  done
  $cc "${link_flags[@]}" -o "$lib.tmp" "${objects[@]}"
  mv "$lib.tmp" "$lib"
  rm -f "$missing"
  echo "[mambair-scan] built $lib ($cxx)"
}

# --- CUDA SelectiveScan2D (cuda/): PTX by clang's NVPTX backend, no CUDA toolkit -------------------------------
# The kernel compiles to PTX for sm_80 at ISA <= 7.8 (every CUDA 11.8+ driver JIT-compiles it for Ampere through
# Blackwell); the PTX is embedded in the library (.incbin) and kept in target/cuda/ for gpu/device-check.sh. The
# host launcher opens libcuda.so.1 with dlopen at run time; nothing CUDA is linked.
cuda_dir="$src_dir/cuda"
ptx_dir="$(dirname "$classes_dir")/cuda"
ptx="$ptx_dir/scan2d_kernel.ptx"
mkdir -p "$ptx_dir"
if ! command -v "${CLANG:-clang}" >/dev/null; then
  # No clang: the library is still built, with an empty PTX, and does not register the CUDA SelectiveScan2D (on a
  # GPU the node then runs on the CPU kernel, with copies). The PTX is emptied only once, so the library is not
  # rebuilt on every build.
  warn "no clang on the build machine: the CUDA SelectiveScan2D kernel is NOT built (Debian: apt-get install clang)"
  if [ ! -e "$ptx" ] || [ -s "$ptx" ]; then : > "$ptx"; fi
elif [ ! -s "$ptx" ] || [ -n "$(find "$cuda_dir" "$src_dir/scan_math.h" -newer "$ptx" -type f)" ]; then
"${CLANG:-clang}" -x cuda --cuda-device-only --cuda-gpu-arch=sm_80 -nocudainc -nocudalib -Wno-unknown-cuda-version \
  -std=c++17 -O3 -Wall -Wextra -S -o "$ptx.tmp" "$cuda_dir/scan2d_kernel.cu" || {
  echo "[mambair-scan] the CUDA kernel needs clang with the NVPTX target (Debian: apt-get install clang)" >&2; exit 1; }
ptx_version="$(sed -n 's/^\.version \([0-9]*\.[0-9]*\).*/\1/p' "$ptx.tmp")"
ptx_target="$(sed -n 's/^\.target sm_\([0-9]*\).*/\1/p' "$ptx.tmp")"
if ! awk -v v="$ptx_version" -v t="$ptx_target" 'BEGIN { exit !(v != "" && v + 0 <= 7.8 && t != "" && t + 0 <= 80) }'; then
  echo "[mambair-scan] PTX .version $ptx_version / .target sm_$ptx_target: need <= 7.8 and <= sm_80" >&2; exit 1
fi
mv "$ptx.tmp" "$ptx"
fi
printf '\t.section .rodata\n\t.globl mambair_scan2d_ptx\n\t.hidden mambair_scan2d_ptx\nmambair_scan2d_ptx:\n\t.incbin "%s"\n\t.byte 0\n\t.section .note.GNU-stack,"",%%progbits\n' \
  "$ptx" > "$ptx_dir/scan2d_ptx.S"
sources+=("$cuda_dir"/*.cc "$ptx_dir/scan2d_ptx.S")
# dlopen/dlsym and pthread_once are pinned to their pre-2.34 symbol versions (cuda/glibc_floor.h); libdl and
# libpthread stay NEEDED so glibc before 2.34, where those functions live there, resolves them.
link_flags+=(-Wl,--no-as-needed -l:libdl.so.2 -l:libpthread.so.0 -Wl,--as-needed)
# --- end CUDA ---------------------------------------------------------------------------------------------------

if [ "$(uname -s)" != Linux ]; then
  warn "$(uname -s) is not supported (Linux only); the fused selective scan is not packaged"
  exit 0
fi
build_target x86_64
build_target aarch64
