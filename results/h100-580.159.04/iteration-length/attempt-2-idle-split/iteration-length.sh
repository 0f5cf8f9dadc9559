#!/usr/bin/env bash
# Issue 3 check on the lent H100, one device call, after the end steps are split with the idle power:
# 10 s, 1 s, 10 s measurement iterations, each run with the same long warmup so the GPU is at the same
# temperature (its power depends on it).
#   JAVA=... JAR=... JNI=... OUT=... bash results/h100-580.159.04/iteration-length/attempt-2-idle-split/iteration-length.sh
set -uo pipefail
. tools/gpu-env.sh "$JNI" || exit 1
export GPUENERGY_MODELS=/tmp/models PYTHONUNBUFFERED=1
python3 tools/export_models.py --models resnet50 --formats fp16 --out "$GPUENERGY_MODELS" || exit 1
run() { "$JAVA" "${@}" 2>&1 | tee -a "$OUT/iteration-length.log"; }
common=(-p model=resnet50 -p engine=pytorch-fp16 -p batchSize=128 -f 1 -wi 2 -w 10s -rf json)
prof="energy:idle=3;settle=8;verbose=true"
run -jar "$JAR" "${common[@]}" -i 3 -r 10s -prof "$prof" -rff "$OUT/len-10s-a.json"
run -jar "$JAR" "${common[@]}" -i 10 -r 1s -prof "$prof" -rff "$OUT/len-1s.json"
run -jar "$JAR" "${common[@]}" -i 3 -r 10s -prof "$prof" -rff "$OUT/len-10s-b.json"
