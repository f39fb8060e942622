#!/usr/bin/env bash
# Databricks cluster init script: extracts the ONNX Runtime natives (libonnxruntime*.so, CUDA provider
# included) from the onnxruntime_gpu jar once per node into /databricks/onnxruntime/lib, which the job's
# spark_conf names with -Donnxruntime.native.path, so no JVM extracts ~400 MB into its temp folder.
# MAMBAIR_ORT_JAR (from the cluster's spark_env_vars) is the jar's path on the node, e.g. a Unity Catalog
# volume: /Volumes/main/mambair/jars/onnxruntime_gpu-1.24.2.jar (Maven com.microsoft.onnxruntime:onnxruntime_gpu).
# The jar needs CUDA 12 and cuDNN 9 on the node; without them the job runs on the CPU after one warning.
# MAMBAIR_INSTALL_ROOT (default empty) is prepended to the installed path, for trying the script elsewhere.
set -euo pipefail
jar="${MAMBAIR_ORT_JAR:?set MAMBAIR_ORT_JAR in the cluster spark_env_vars to the onnxruntime_gpu jar}"
native_dir="${MAMBAIR_INSTALL_ROOT:-}/databricks/onnxruntime/lib"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$native_dir"
if command -v unzip >/dev/null 2>&1; then
  unzip -q -j -o "$jar" 'ai/onnxruntime/native/linux-x64/*' -d "$work"
else
  (cd "$work" && jar xf "$jar" ai/onnxruntime/native/linux-x64 && mv ai/onnxruntime/native/linux-x64/* . && rm -r ai)
fi
cp "$work"/* "$native_dir/"
ls "$native_dir"/libonnxruntime.so "$native_dir"/libonnxruntime4j_jni.so >/dev/null
if ! ldconfig -p 2>/dev/null | grep -q 'libcudnn.so.9'; then
  echo "warning: libcudnn.so.9 not found: ONNX Runtime's CUDA provider cannot start here and the CPU is used" >&2
fi
echo "ONNX Runtime natives from $jar installed in $native_dir"
