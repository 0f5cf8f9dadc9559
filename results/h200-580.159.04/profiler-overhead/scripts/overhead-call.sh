#!/usr/bin/env bash
# Issue 19 item 1 in one device call: img/s with the energy profiler off, lean (the default) and
# continuous, ResNet-50 x {pytorch-fp32, pytorch-fp16, tensorrt-fp16} x batch {1, 16, 128}, interleaved per
# configuration by the overhead command, every run's JMH JSON kept. Needs on the GPU machine: /tmp/jre, the models in
# /tmp/models (fp32, fp16, onnx), TensorRT in /tmp/trt/lib with the three engines cached in /tmp/trt-engines, the DJL JNI
# installed by tools/gpu-env.sh. Run from the repository root with benchmarks.jar built with -Dexternal-libtorch.
set -u
mkdir -p $OUT/overhead; exec > >(tee "$OUT/overhead/call.log") 2>&1
date -u +%Y%m%dT%H%M%SZ
nvidia-smi --query-gpu=name,uuid,driver_version,power.limit,temperature.gpu,clocks.sm --format=csv
JAVA=/tmp/jre/bin/java; . tools/gpu-env.sh
J=($JAVA -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines
   -jar benchmarks.jar overhead -p model=resnet50 -p engine=pytorch-fp32,pytorch-fp16,tensorrt-fp16)
V=(--variant off= --variant "lean=energy:sampling=lean;settle=5")
set -x
timeout -k 5 200 "${J[@]}" -p batchSize=1 "${V[@]}" --rounds 1 -wi 2 -w 1s -i 15 -r 1s --out $OUT/overhead/b1
timeout -k 5 150 "${J[@]}" -p batchSize=16 "${V[@]}" --rounds 1 -wi 2 -w 1s -i 6 -r 1s --out $OUT/overhead/b16
timeout -k 5 220 "${J[@]}" -p batchSize=128 "${V[@]}" --variant "continuous=energy:sampling=continuous;settle=5" \
  --rounds 1 -wi 2 -w 1s -i 6 -r 1s --out $OUT/overhead/b128
set +x
date -u +%Y%m%dT%H%M%SZ
