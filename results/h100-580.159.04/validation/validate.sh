#!/usr/bin/env bash
# Validation on the lent H100 (issues 2 and 3): the suite and the Python eager reference in one device call.
# Run from the repository root on the GPU machine:
#   JAVA=<java 17> JAR=<benchmarks.jar built with -Dexternal-libtorch> JNI=<DJL 0.35.1 JNI built for the
#   machine's libtorch> OUT=<output dir> bash results/h100-580.159.04/validation/validate.sh
set -uo pipefail
here=results/h100-580.159.04
. tools/gpu-env.sh "$JNI" || exit 1
export GPUENERGY_MODELS=/tmp/models PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,power.limit,power.draw,temperature.gpu,clocks.sm --format=csv
python3 tools/export_models.py --models resnet50 --formats fp32,fp16 --out "$GPUENERGY_MODELS" || exit 1
# the suite: ResNet-50, PyTorch FP32 and FP16, batch 1, 16, 128; 3 measured iterations of 10 s each
"$JAVA" -jar "$JAR" -p model=resnet50 -p engine=pytorch-fp32,pytorch-fp16 -p batchSize=1,16,128 \
  -f 1 -wi 2 -w 5s -i 3 -r 10s -prof "energy:idle=3;settle=8;verbose=true" \
  -rf json -rff "$OUT/suite.json" 2>&1 | tee "$OUT/suite.log"
# the yardstick, same machine, same call: plain PyTorch eager, 10 s windows
python3 "$here/python_eager_reference.py" --models resnet50 --batches 1,16,128 --precisions fp32,fp16 \
  --seconds 10 --out "$OUT/reference.json" 2>&1 | tee "$OUT/reference.log"
nvidia-smi --query-gpu=name,driver_version,power.limit,power.draw,temperature.gpu,clocks.sm --format=csv
