#!/bin/bash
# Sessions reopened inside each of several JVMs, one JVM after another (Reopen.java says what it tells apart).
# From the repository root, after the quick start's build: bash results/cpu-build-machine/malloc/scripts/reopen.sh OUT.tsv
# Environment: JAR (default benchmarks/target/benchmarks.jar), JVMS (6), MODEL, ENGINE, BATCH, DEVICE, SESSIONS (4),
# WARMUP_S (2), ITERATIONS (5), ITER_S (1), MODE (sequential: one session after another; overlap: all open at once),
# CALIBRATE (set: the machine's pace before each iteration), JAVA (java), JAVA_OPTS, REOPEN_CP (javac -d DIR's DIR).
set -euo pipefail
out=${1:?usage: reopen.sh OUT.tsv}
here=$(cd "$(dirname "$0")" && pwd)
JAR=${JAR:-benchmarks/target/benchmarks.jar}
JAVA=${JAVA:-java}
# a runtime without javac (a jlinked JRE) runs Reopen compiled beforehand: REOPEN_CP names its class folder
if [ -n "${REOPEN_CP:-}" ]; then program=(-cp "$JAR:$REOPEN_CP" Reopen); else program=(-cp "$JAR" "$here/Reopen.java"); fi
: > "$out"
for j in $(seq 1 "${JVMS:-6}"); do
  # the benchmark's fork settings: heap and cuDNN autotuning as InferenceBenchmark's @Fork gives them
  "$JAVA" -Xms1g -Xmx4g -Dai.djl.pytorch.cudnn_benchmark=true ${JAVA_OPTS:-} "${program[@]}" "$j" \
    "${MODEL:-mobilenetv3_small_100}" "${ENGINE:-pytorch-fp32}" "${BATCH:-1}" "${DEVICE:-auto}" "${SESSIONS:-4}" \
    "${WARMUP_S:-2}" "${ITERATIONS:-5}" "${ITER_S:-1}" ${MODE:-sequential} ${CALIBRATE:+calibrate} | if [ "$j" = 1 ]; then cat; else tail -n +2; fi >> "$out"
done
