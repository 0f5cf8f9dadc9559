#!/usr/bin/env bash
# Issue 3 checks on the lent H100, one device call: (a) throughput with and without the energy profiler,
# alternated twice; (b) 1 s measurement iterations against the 10 s figure of (a).
#   JAVA=... JAR=... JNI=... OUT=... bash results/h100-580.159.04/overhead/overhead.sh
set -uo pipefail
. tools/gpu-env.sh "$JNI" || exit 1
export GPUENERGY_MODELS=/tmp/models PYTHONUNBUFFERED=1
python3 tools/export_models.py --models resnet50 --formats fp32,fp16 --out "$GPUENERGY_MODELS" || exit 1
run() { "$JAVA" "${@}" 2>&1 | tee -a "$OUT/overhead.log"; }
common=(-p model=resnet50 -f 1 -wi 1 -w 5s -rf json)
for rep in 1 2; do
  run -Dgpuenergy.energy=off -jar "$JAR" "${common[@]}" -p engine=pytorch-fp16 -p batchSize=128 -i 3 -r 10s -rff "$OUT/fp16-b128-off-$rep.json"
  run -jar "$JAR" "${common[@]}" -p engine=pytorch-fp16 -p batchSize=128 -i 3 -r 10s -prof "energy:idle=3;settle=8" -rff "$OUT/fp16-b128-on-$rep.json"
done
run -Dgpuenergy.energy=off -jar "$JAR" "${common[@]}" -p engine=pytorch-fp32 -p batchSize=1 -i 3 -r 10s -rff "$OUT/fp32-b1-off.json"
run -jar "$JAR" "${common[@]}" -p engine=pytorch-fp32 -p batchSize=1 -i 3 -r 10s -prof "energy:idle=3;settle=8" -rff "$OUT/fp32-b1-on.json"
run -jar "$JAR" "${common[@]}" -p engine=pytorch-fp16 -p batchSize=128 -i 10 -r 1s -prof "energy:idle=3;settle=8;verbose=true" -rff "$OUT/fp16-b128-1s.json"
