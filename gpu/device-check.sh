#!/usr/bin/env bash
# Device check of the CUDA SelectiveScan2D for a lent GPU machine (NVIDIA driver, Python 3, NumPy; no Java, Maven or
# CUDA toolkit). Build here first (mvn -B -ntp -q -pl model-runtime -am -DskipTests package, with clang), then run from
# the repository root on the GPU machine in one call, carrying the library and the PTX:
#   run(command="bash gpu/device-check.sh", timeout_s=480,
#       carry=["model-runtime/target/classes/native/linux-x86_64", "model-runtime/target/cuda"])
# Steps (each writes its results under $OUT as it goes, so a timeout keeps what ran; about 3 minutes in all):
#   1. library_check.py on the shipped libmambair_scan.so through the ORT stand-in, scratch from ORT's
#      GetScratchBuffer: correctness against float64 and the CPU op, contexts, two streams sharing the scratch pool,
#      two threads, errors, the JIT's register report, one SS2D call for 16 classic 64x64 tiles timed ($OUT/ort/)
#   2. the same with MAMBAIR_CUDA_SCRATCH=async and =sync (the fallbacks; sync's timing is the cost of its wait)
#   3. scan2d_device_check.py: the kernels alone from the PTX (no library), six shapes and the light/classic timings
# Step limits add up to 450 s, under the 8 minutes of one call. Exits non-zero when a step failed; $OUT/summary.txt
# lists each step's result.
# Dry run without a GPU (the plumbing only; the fake driver emulates the kernels, so small shapes and no timings
# worth reading): build the test's fake libcuda.so.1 (CudaLauncherProtocolTest's command, -DFAKE_CUDA_STREAM_ORDERED_ALLOC)
# into a folder D, then DEVICE_CHECK_SMALL=1 LD_LIBRARY_PATH=D bash gpu/device-check.sh
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$root/target/device-check}"
lib="$root/model-runtime/target/classes/native/linux-x86_64/libmambair_scan.so"
ptx="$root/model-runtime/target/cuda/scan2d_kernel.ptx"
mkdir -p "$out"
summary="$out/summary.txt"
: > "$summary"
for f in "$lib" "$ptx"; do
  [ -s "$f" ] || { echo "device-check: missing $f (build with clang here and carry it)" | tee -a "$summary" >&2; exit 2; }
done
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader > "$out/nvidia-smi.txt" 2>&1 || true
step() {  # step NAME TIMEOUT_S COMMAND...: runs, logs to $out/NAME.log, records the exit status
  local name="$1" limit="$2" start rc
  shift 2
  start=$(date +%s)
  timeout "$limit" "$@" > "$out/$name.log" 2>&1
  rc=$?
  echo "$name: exit $rc in $(( $(date +%s) - start )) s" | tee -a "$summary"
  return $rc
}
failed=0
small=${DEVICE_CHECK_SMALL:+--small}
step ort 190 python3 "$root/gpu/library_check.py" --lib "$lib" --out "$out/ort" --timing --jit-report "$ptx" $small || failed=1
for mode in async sync; do
  MAMBAIR_CUDA_SCRATCH=$mode step "$mode" 90 python3 "$root/gpu/library_check.py" --lib "$lib" --out "$out/$mode" \
    --timing $small || failed=1
done
if python3 -c "import torch" 2>/dev/null; then
  step kernels 80 python3 "$root/gpu/scan2d_device_check.py" --ptx "$ptx" --out "$out/kernel-check.json" || failed=1
else
  echo "kernels: skipped (no PyTorch)" | tee -a "$summary"
fi
exit $failed
