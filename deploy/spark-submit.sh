#!/usr/bin/env bash
# Submits the mambair Spark job (main class io.mambair.job.MambairJob, the shaded job jar) with spark-submit.
#
# Usage: deploy/spark-submit.sh [wrapper options] [job options] [-- more job options]
#   Job options, passed to the job in order:
#     --config FILE|URI        HOCON config (local path or Hadoop URI: s3://, s3a://, hdfs://, dbfs:/)
#     --preset NAME            a bundled preset (conf/NAME.conf), e.g. light_sr_x2, classic_sr_x4, color_dn_25
#     --set KEY=VALUE          override one key of job/src/main/resources/mambair/defaults.conf (repeatable)
#   Wrapper options:
#     --master URL             Spark master (default: the platform's spark-defaults)
#     --deploy-mode MODE       client | cluster
#     --job-jar PATH|URI       the shaded job jar (default: $MAMBAIR_JOB_JAR, else job/target/mambair-job-*-all.jar here)
#     --ort-jar PATH|URI       ONNX Runtime jar added with --jars: Maven com.microsoft.onnxruntime:onnxruntime (CPU)
#                              or com.microsoft.onnxruntime:onnxruntime_gpu (CUDA 12 + cuDNN 9) (default: $MAMBAIR_ORT_JAR)
#     --ort-native-path DIR    folder on every node holding the ONNX Runtime .so files (made by the EMR bootstrap action
#                              or the Databricks init script): -Donnxruntime.native.path=DIR on driver and executors
#     --gpu                    GPU scheduling: 1 GPU per executor, $MAMBAIR_TASK_GPU_AMOUNT (default 0.25) GPU per task
#     --gpu-discovery-script P discovery script on every node (default /opt/mambair/getGpusResources.sh; with --gpu)
#     --conf KEY=VALUE         any other Spark configuration (repeatable)
#     --dry-run                print the command, one argument per line, instead of running it
# Environment: SPARK_SUBMIT, the spark-submit command to run (default: $SPARK_HOME/bin/spark-submit when SPARK_HOME
# is set, else spark-submit on the PATH).
set -euo pipefail

main_class=io.mambair.job.MambairJob
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() { sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
fail() { echo "deploy/spark-submit.sh: $*" >&2; exit 2; }
need() { [[ $# -ge 2 && -n "$2" ]] || fail "$1 needs a value"; }

master="" deploy_mode="" job_jar="${MAMBAIR_JOB_JAR:-}" ort_jar="${MAMBAIR_ORT_JAR:-}" native_path=""
gpu=false discovery=/opt/mambair/getGpusResources.sh dry_run=false
task_gpu="${MAMBAIR_TASK_GPU_AMOUNT:-0.25}"
driver_opts="" executor_opts=""
confs=() job_args=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --master) need "$@"; master="$2"; shift 2 ;;
    --deploy-mode) need "$@"; deploy_mode="$2"; shift 2 ;;
    --job-jar) need "$@"; job_jar="$2"; shift 2 ;;
    --ort-jar) need "$@"; ort_jar="$2"; shift 2 ;;
    --ort-native-path) need "$@"; native_path="$2"; shift 2 ;;
    --gpu) gpu=true; shift ;;
    --gpu-discovery-script) need "$@"; discovery="$2"; shift 2 ;;
    --conf)
      need "$@"
      [[ "$2" == *=* ]] || fail "--conf $2 is not KEY=VALUE"
      case "${2%%=*}" in
        spark.driver.extraJavaOptions) driver_opts="${2#*=}" ;;
        spark.executor.extraJavaOptions) executor_opts="${2#*=}" ;;
        *) confs+=(--conf "$2") ;;
      esac
      shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    --config|--preset) need "$@"; job_args+=("$1" "$2"); shift 2 ;;
    --set)
      need "$@"
      [[ "$2" == *=* ]] || fail "--set $2 is not KEY=VALUE"
      job_args+=("$1" "$2"); shift 2 ;;
    --) shift; job_args+=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown option '$1' (see --help)" ;;
  esac
done

if [[ -z "$job_jar" ]]; then
  job_jar=$(ls "$here"/job/target/mambair-job-*-all.jar 2>/dev/null | head -n 1 || true)
  [[ -n "$job_jar" ]] || fail "no job jar: build it (mvn -DskipTests package) or pass --job-jar / MAMBAIR_JOB_JAR"
fi
[[ ${#job_args[@]} -gt 0 ]] || fail "no job options: pass at least --config FILE or --preset NAME with --set keys"

if [[ -n "$native_path" ]]; then
  driver_opts="${driver_opts:+$driver_opts }-Donnxruntime.native.path=$native_path"
  executor_opts="${executor_opts:+$executor_opts }-Donnxruntime.native.path=$native_path"
fi

if [[ -n "${SPARK_SUBMIT:-}" ]]; then
  submit="$SPARK_SUBMIT"
elif [[ -n "${SPARK_HOME:-}" ]]; then
  submit="$SPARK_HOME/bin/spark-submit"
else
  submit=spark-submit
fi

cmd=("$submit" --class "$main_class")
[[ -n "$master" ]] && cmd+=(--master "$master")
[[ -n "$deploy_mode" ]] && cmd+=(--deploy-mode "$deploy_mode")
[[ -n "$ort_jar" ]] && cmd+=(--jars "$ort_jar")
if $gpu; then
  cmd+=(--conf spark.executor.resource.gpu.amount=1
        --conf "spark.task.resource.gpu.amount=$task_gpu"
        --conf "spark.executor.resource.gpu.discoveryScript=$discovery")
fi
[[ -n "$driver_opts" ]] && cmd+=(--conf "spark.driver.extraJavaOptions=$driver_opts")
[[ -n "$executor_opts" ]] && cmd+=(--conf "spark.executor.extraJavaOptions=$executor_opts")
[[ ${#confs[@]} -gt 0 ]] && cmd+=("${confs[@]}")
cmd+=("$job_jar" "${job_args[@]}")

if $dry_run; then
  printf '%s\n' "${cmd[@]}"
else
  [[ -n "$ort_jar" ]] || echo "deploy/spark-submit.sh: no --ort-jar: the cluster's classpath must provide ONNX Runtime (ai.onnxruntime)" >&2
  exec "${cmd[@]}"
fi
