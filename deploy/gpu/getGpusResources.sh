#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript, spark.worker.resource.gpu.discoveryScript,
# spark.driver.resource.gpu.discoveryScript): prints this node's NVIDIA GPUs as Spark's resource JSON,
#   {"name":"gpu","addresses":["0","1"]}
# from `nvidia-smi --query-gpu=index --format=csv,noheader`. With no nvidia-smi or no GPU it prints no
# addresses, and Spark refuses to start an executor that asked for a GPU, which says what is wrong.
# Installed on every node as /opt/mambair/getGpusResources.sh by deploy/emr/bootstrap-onnxruntime-gpu.sh and
# deploy/databricks/init-onnxruntime-gpu.sh; baked into the image for Kubernetes.
set -uo pipefail
addresses=""
if command -v nvidia-smi >/dev/null 2>&1; then
  while read -r index; do
    index="${index//[[:space:]]/}"
    [[ "$index" =~ ^[0-9]+$ ]] || continue
    addresses+="${addresses:+,}\"$index\""
  done < <(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null)
fi
echo "{\"name\":\"gpu\",\"addresses\":[$addresses]}"
