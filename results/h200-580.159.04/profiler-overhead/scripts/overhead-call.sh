#!/usr/bin/env bash
# Issue 19 item 1 in two device calls: img/s with the energy profiler off, lean (the default) and continuous,
# ResNet-50 x {pytorch-fp32, pytorch-fp16, tensorrt-fp16}, interleaved per configuration by the overhead command over
# two rounds (one run a side gets no verdict: docs/overhead.md), every run's JMH JSON kept.
#   OUT=$OUT bash overhead-call.sh small   batch 1 and 16, off against lean (about 8 minutes)
#   OUT=$OUT bash overhead-call.sh large   batch 128, off against lean and continuous (about 6 minutes)
# Needs on the GPU machine: /tmp/jre, the models in /tmp/models (fp32, fp16, onnx), TensorRT in /tmp/trt/lib with the
# three engines cached in /tmp/trt-engines, the DJL JNI installed by tools/gpu-env.sh. Run from the repository root
# with benchmarks.jar built with -Dexternal-libtorch.
set -u
PART=${1:?small or large}
mkdir -p $OUT/overhead; exec > >(tee "$OUT/overhead/call-$PART.log") 2>&1
date -u +%Y%m%dT%H%M%SZ
nvidia-smi --query-gpu=name,uuid,driver_version,power.limit,temperature.gpu,clocks.sm --format=csv
JAVA=/tmp/jre/bin/java; . tools/gpu-env.sh
J=($JAVA -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines
   -jar benchmarks.jar overhead -p model=resnet50 -p engine=pytorch-fp32,pytorch-fp16,tensorrt-fp16)
V=(--variant off= --variant "lean=energy:sampling=lean;settle=5")
set -x
case $PART in
  small)
    timeout -k 5 290 "${J[@]}" -p batchSize=1 "${V[@]}" --rounds 2 -wi 2 -w 1s -i 8 -r 1s --out $OUT/overhead/b1
    timeout -k 5 250 "${J[@]}" -p batchSize=16 "${V[@]}" --rounds 2 -wi 2 -w 1s -i 5 -r 1s --out $OUT/overhead/b16 ;;
  large)
    timeout -k 5 520 "${J[@]}" -p batchSize=128 "${V[@]}" --variant "continuous=energy:sampling=continuous;settle=5" \
      --rounds 2 -wi 2 -w 1s -i 5 -r 1s --out $OUT/overhead/b128 ;;
  *) echo "overhead-call.sh: PART is small or large, not $PART"; exit 2 ;;
esac
set +x
date -u +%Y%m%dT%H%M%SZ
