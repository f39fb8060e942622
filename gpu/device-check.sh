#!/usr/bin/env bash
# Device check of the CUDA SelectiveScan2D for a lent GPU machine (CUDA driver, PyTorch, NumPy; no Java, no CUDA
# toolkit). Needs the PTX the build writes to model-runtime/target/cuda/scan2d_kernel.ptx: build here first
# (mvn -pl model-runtime -am compile), then run from the repository root on the GPU machine, carrying that folder,
# e.g. run(command="bash gpu/device-check.sh", carry=["model-runtime/target/cuda"]). Writes $OUT/device-check.json
# (or ./device-check.json without $OUT) and exits non-zero when a case misses the tolerance.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ptx="${1:-$root/model-runtime/target/cuda/scan2d_kernel.ptx}"
out="${OUT:-.}/device-check.json"
[ -f "$ptx" ] || { echo "device-check: no PTX at $ptx (build model-runtime first and carry model-runtime/target/cuda)" >&2; exit 2; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
exec timeout 480 python3 "$root/gpu/scan2d_device_check.py" --ptx "$ptx" --out "$out"
