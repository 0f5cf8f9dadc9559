#!/bin/bash
# JVMs of two input sizes one after the other, N of each, sessions calibrated (Reopen.java), fixed malloc thresholds:
# bash interleaved.sh OUT_PREFIX N  ->  OUT_PREFIX-224px.tsv, OUT_PREFIX-32px.tsv
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=${1:?usage: interleaved.sh OUT_PREFIX N}; n=${2:-6}
for px in 224 32; do : > "$prefix-${px}px.tsv"; done
for j in $(seq 1 "$n"); do
  for px in 224 32; do
    tmp=$(mktemp)
    JVMS=1 SESSIONS=2 WARMUP_S=2 ITERATIONS=4 CALIBRATE=1 JAVA_OPTS="${JAVA_OPTS:-} -Dreopen.shape=3,$px,$px" bash "$here/reopen.sh" "$tmp"
    # the JVM's number in this sequence; the header once
    if [ "$j" = 1 ]; then head -1 "$tmp" > "$prefix-${px}px.tsv"; fi
    tail -n +2 "$tmp" | awk -v j="$j" 'BEGIN{OFS="\t"} {$1=j; print}' >> "$prefix-${px}px.tsv"
    rm -f "$tmp"
  done
done
