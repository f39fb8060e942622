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
# -fno-math-errno only drops errno writes; the kernel's math is IEEE float32 as written (no -ffast-math).
# libstdc++ and libgcc are linked statically and hidden, so the library depends on libc alone; the version
# script exports RegisterCustomOps only. -z nodelete keeps the code mapped after dlclose: ONNX Runtime Java
# unloads custom-op libraries when SessionOptions closes, while sessions created from them may still run.
"${CXX:-g++}" -std=c++17 -O3 -fPIC -shared -fvisibility=hidden -fno-math-errno -Wall -Wextra -Wno-psabi \
  -static-libstdc++ -static-libgcc -Wl,--exclude-libs,ALL -Wl,--version-script="$src_dir/exports.map" -Wl,-z,noexecstack -Wl,-z,nodelete -s \
  -o "$lib.tmp" "${sources[@]}"
mv "$lib.tmp" "$lib"
echo "[mambair-scan] built $lib"
