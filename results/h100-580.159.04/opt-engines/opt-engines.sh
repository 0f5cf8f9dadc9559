#!/usr/bin/env bash
# Issue 8 on the lent H100, one device call: plain FP16 TorchScript against the frozen + optimized one, at
# batch 128, for catalog models; each artifact passes the export's numerics gate first.
#   JAVA=... JAR=... JNI=... OUT=... [MODELS=a,b] bash results/h100-580.159.04/opt-engines/opt-engines.sh
# run-1: the default MODELS below; run-2: MODELS=mobilenetv3_small_100,mobilenetv4_conv_small,regnety_008,efficientvit_b1,vit_large_patch16_224
set -uo pipefail
. tools/gpu-env.sh "$JNI" || exit 1
export GPUENERGY_MODELS=/tmp/models PYTHONUNBUFFERED=1
models=${MODELS:-resnet50,mobilenetv3_large_100,efficientnet_b0,convnext_tiny,vit_base_patch16_224,deit_small_patch16_224,regnety_040,swin_tiny_patch4_window7_224}
python3 tools/export_models.py --models "$models" --formats fp16,opt-fp16 --out "$GPUENERGY_MODELS" 2>&1 | tee "$OUT/export.log"
"$JAVA" -jar "$JAR" -p model="$models" -p engine=pytorch-fp16,pytorch-opt-fp16 -p batchSize=128 \
  -f 1 -wi 2 -w 3s -i 2 -r 4s -prof "energy:idle=2;settle=4" -rf json -rff "$OUT/opt-engines.json" 2>&1 | tee "$OUT/opt-engines.log"
tar czf "$OUT/numerics-records.tgz" -C "$GPUENERGY_MODELS" $(cd "$GPUENERGY_MODELS" && ls */*.json)
