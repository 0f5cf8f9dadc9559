#!/usr/bin/env bash
# Issue 4 on the lent H100, one device call: the paper's sweep of ResNet-50 with pytorch-fp32, batch 1, 2,
# 4, ... until it no longer fits in GPU memory. Each measured run: one iteration of >= 10 s and >= 13 batches.
#   JAVA=... JAR=... JNI=... OUT=... bash results/h100-580.159.04/sweep/sweep.sh
set -uo pipefail
. tools/gpu-env.sh "$JNI" || exit 1
export GPUENERGY_MODELS=/tmp/models PYTHONUNBUFFERED=1
python3 tools/export_models.py --models resnet50 --formats fp32 --out "$GPUENERGY_MODELS" || exit 1
timeout 500 "$JAVA" -jar "$JAR" sweep -p model=resnet50 -p engine=pytorch-fp32 -f 1 -wi 2 -w 3s -i 1 \
  -prof "energy:idle=3;settle=8" --out "$OUT/sweep-resnet50-fp32" 2>&1 | tee "$OUT/sweep.log"
# $OUT returns at most 8 files: the sweep directory travels as one archive
tar czf "$OUT/sweep-resnet50-fp32.tgz" -C "$OUT" sweep-resnet50-fp32 && rm -rf "$OUT/sweep-resnet50-fp32"
