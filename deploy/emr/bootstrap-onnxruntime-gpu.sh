#!/usr/bin/env bash
# EMR bootstrap action (runs on every node before YARN and Spark start): installs the ONNX Runtime GPU
# natives and the GPU discovery script, and lets YARN isolate GPUs with cgroups.
#
# Args: S3_PREFIX [CUDNN_ARCHIVE_URI]
#   S3_PREFIX holds what you uploaded from this repository and Maven:
#     S3_PREFIX/onnxruntime_gpu-<version>.jar   Maven com.microsoft.onnxruntime:onnxruntime_gpu (CUDA 12 + cuDNN 9)
#     S3_PREFIX/getGpusResources.sh             deploy/gpu/getGpusResources.sh
#   CUDNN_ARCHIVE_URI (optional): an NVIDIA cuDNN 9 for CUDA 12 redistributable .tar.xz, for nodes whose image
#     lacks libcudnn.so.9; its libraries are put beside the ONNX Runtime natives.
# Result on every node (cluster.json points Spark at these paths):
#   /opt/onnxruntime/onnxruntime_gpu-<version>.jar   the classes (spark-submit --jars local:///opt/onnxruntime/...)
#   /opt/onnxruntime/lib/                            libonnxruntime*.so from the jar's ai/onnxruntime/native/linux-x64/
#                                                    (-Donnxruntime.native.path=/opt/onnxruntime/lib: no per-JVM extraction)
#   /opt/mambair/getGpusResources.sh                 spark.executor.resource.gpu.discoveryScript
# MAMBAIR_INSTALL_ROOT (default empty) is prepended to every installed path, for trying the script off-cluster.
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: $0 S3_PREFIX [CUDNN_ARCHIVE_URI]" >&2; exit 2; }
prefix="${1%/}"
cudnn_archive="${2:-}"
root="${MAMBAIR_INSTALL_ROOT:-}"
ort_home="$root/opt/onnxruntime"
native_dir="$ort_home/lib"
discovery="$root/opt/mambair/getGpusResources.sh"

sudo_cmd=""
if [[ $(id -u) -ne 0 && -z "$root" ]]; then sudo_cmd=sudo; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

jar_name=$(aws s3 ls "$prefix/" | awk '{print $NF}' | grep -E '^onnxruntime_gpu-[0-9][0-9.]*\.jar$' | sort -V | tail -n 1 || true)
[[ -n "$jar_name" ]] || { echo "no onnxruntime_gpu-<version>.jar under $prefix/" >&2; exit 1; }
aws s3 cp "$prefix/$jar_name" "$work/$jar_name"
aws s3 cp "$prefix/getGpusResources.sh" "$work/getGpusResources.sh"

# The jar carries its natives under ai/onnxruntime/native/<os-arch>/ (libonnxruntime.so, libonnxruntime4j_jni.so,
# libonnxruntime_providers_shared.so, libonnxruntime_providers_cuda.so); take the linux-x64 ones, flat.
mkdir -p "$work/natives"
if command -v unzip >/dev/null 2>&1; then
  unzip -q -j -o "$work/$jar_name" 'ai/onnxruntime/native/linux-x64/*' -d "$work/natives"
else
  (cd "$work" && jar xf "$work/$jar_name" ai/onnxruntime/native/linux-x64 && mv ai/onnxruntime/native/linux-x64/* natives/)
fi
ls "$work/natives"/libonnxruntime.so "$work/natives"/libonnxruntime4j_jni.so >/dev/null

$sudo_cmd mkdir -p "$native_dir" "$(dirname "$discovery")"
$sudo_cmd cp "$work/$jar_name" "$ort_home/$jar_name"
$sudo_cmd cp "$work/natives"/* "$native_dir/"
$sudo_cmd install -m 0755 "$work/getGpusResources.sh" "$discovery"

if [[ -n "$cudnn_archive" ]]; then
  aws s3 cp "$cudnn_archive" "$work/cudnn.tar.xz"
  mkdir -p "$work/cudnn"
  tar -xJf "$work/cudnn.tar.xz" -C "$work/cudnn" --wildcards '*/lib/libcudnn*.so*'
  $sudo_cmd cp -P "$work"/cudnn/*/lib/libcudnn*.so* "$native_dir/"
fi

# YARN GPU isolation (EMR 7, cgroup v2 hosts): a cgroup-v1 devices hierarchy at the mount-path that
# cluster.json's yarn-site and container-executor classifications name. Only on GPU nodes.
if [[ -z "$root" ]] && command -v nvidia-smi >/dev/null 2>&1; then
  $sudo_cmd mkdir -p /spark-rapids-cgroup/devices
  mountpoint -q /spark-rapids-cgroup/devices || $sudo_cmd mount -t cgroup -o devices cgroupv1-devices /spark-rapids-cgroup/devices
  $sudo_cmd chmod a+rwx -R /spark-rapids-cgroup
  for lib in libcublasLt.so.12 libcudart.so.12 libcudnn.so.9; do
    if ! ldconfig -p | grep -q "$lib" && [[ ! -e "$native_dir/$lib" ]] && ! ls /usr/local/cuda/lib64/"$lib" >/dev/null 2>&1; then
      echo "warning: $lib not found: ONNX Runtime will fall back to the CPU (pass a cuDNN 9 archive or use a CUDA 12 image)" >&2
    fi
  done
fi
echo "installed $jar_name natives in $native_dir and the GPU discovery script at $discovery"
