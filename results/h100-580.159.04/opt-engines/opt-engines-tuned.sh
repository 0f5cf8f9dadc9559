#!/usr/bin/env bash
# Issue 8 on the lent H100, after the exporter learned to keep the fastest frozen variant (see variants/):
# all 13 catalog models, pytorch-fp16 against pytorch-opt-fp16 at batch 128, measured in ONE device call.
# Exporting 13 models with tuning and measuring 26 benchmarks do not fit in one 10-minute call, so the export
# runs in the call just before, on the same (still held) machine:
#   PHASE=export  JAVA=... JAR=... JNI=... OUT=... bash results/h100-580.159.04/opt-engines/opt-engines-tuned.sh
#   PHASE=measure JAVA=... JAR=... JNI=... OUT=... bash results/h100-580.159.04/opt-engines/opt-engines-tuned.sh
# run-3 (exporter picking by img/s, default TUNE_SECONDS and ENGINES): exactly the two lines above.
# EXPORT_MODELS=a,b exports a subset (an export too long for one call can be split over two calls).
set -uo pipefail
export GPUENERGY_MODELS=/tmp/models PYTHONUNBUFFERED=1
models=$(cut -d, -f1 benchmarks/src/main/resources/catalog.csv | tail -n +2 | paste -sd,)
case "${PHASE:-}" in
  export)
    nvidia-smi --query-gpu=name,driver_version,temperature.gpu,power.draw --format=csv
    timeout 540 python3 tools/export_models.py --models "${EXPORT_MODELS:-catalog}" --formats fp16,opt-fp16 --out "$GPUENERGY_MODELS" \
      ${TUNE_SECONDS:+--tune-seconds $TUNE_SECONDS} 2>&1 \
      | grep -v Warning | tee "$OUT/export.log"
    tar czf "$OUT/numerics-records.tgz" -C "$GPUENERGY_MODELS" $(cd "$GPUENERGY_MODELS" && ls */*.json) ;;
  measure)
    . tools/gpu-env.sh "$JNI" || exit 1
    ls "$GPUENERGY_MODELS"/*/*-opt-fp16.pt | wc -l
    nvidia-smi --query-gpu=name,driver_version,temperature.gpu,power.draw --format=csv
    timeout 570 "$JAVA" -jar "$JAR" -p model="$models" -p engine="${ENGINES:-pytorch-fp16,pytorch-opt-fp16}" -p batchSize=128 \
      -f 1 -wi 2 -w 2s -i 3 -r 2s -prof "energy:idle=2;settle=4" -rf json -rff "$OUT/opt-engines.json" 2>&1 \
      | tee "$OUT/opt-engines.log" | grep -E "^# Parameters|energy.J/img|^infer|Not run|rror" ;;
  *) echo "PHASE must be export or measure"; exit 2 ;;
esac
