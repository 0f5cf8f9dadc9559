#!/usr/bin/env bash
# Device call A: ONNX export (resnet50, vit_base_patch16_224) and TensorRT engine builds with short JMH runs.
set -u
cd "$(dirname "$0")/.."
exec > >(tee "$OUT/call-a.log") 2>&1
date -u +%Y%m%dT%H%M%SZ
[ -x /tmp/jre/bin/java ] || tar -xJf .device/jre.tar.xz -C /tmp
JAVA=/tmp/jre/bin/java; $JAVA -version 2>&1 | head -1
nvidia-smi --query-gpu=name,uuid,driver_version,power.limit,temperature.gpu --format=csv
ls -la /tmp/trt/lib | head
export PYTHONUNBUFFERED=1
if [ ! -f /tmp/models/vit_base_patch16_224/vit_base_patch16_224.onnx ]; then
  time python3 tools/export_models.py --models ${MODELS:-resnet50,vit_base_patch16_224} --formats onnx --out /tmp/models
fi
ls -la /tmp/models/*; cat /tmp/models/resnet50/resnet50.json | head -40
mkdir -p "$OUT/a"
timeout -k 10 ${JAVA_TIMEOUT:-470} $JAVA -Dgpuenergy.energy=off -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib \
  -Dgpuenergy.tensorrt.cache=/tmp/trt-engines -jar .device/benchmarks.jar InferenceBenchmark.infer \
  -p model=resnet50 -p engine=tensorrt-fp16 -p batchSize=${BATCHES:-1,16,128,256} -wi 1 -w 1s -i 1 -r 2s \
  -rff "$OUT/a/resnet50-builds.json"
echo "rc=$?"
if [ -n "${VIT_BATCHES:-}" ]; then
timeout -k 10 ${VIT_TIMEOUT:-200} $JAVA -Dgpuenergy.energy=off -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib \
  -Dgpuenergy.tensorrt.cache=/tmp/trt-engines -jar .device/benchmarks.jar InferenceBenchmark.infer \
  -p model=vit_base_patch16_224 -p engine=tensorrt-fp16 -p batchSize=${VIT_BATCHES:-} -wi 1 -w 1s -i 1 -r 2s \
  -rff "$OUT/a/vit-builds.json"
echo "rc=$?"
fi
ls -la /tmp/trt-engines
cp /tmp/models/*/*.json "$OUT/a/" 2>/dev/null
date -u +%Y%m%dT%H%M%SZ
