#!/usr/bin/env bash
# Issue 19 item 1 in three device calls: img/s with the energy profiler off, lean (the default) and continuous,
# ResNet-50 x {pytorch-fp32, pytorch-fp16, tensorrt-fp16}, interleaved per configuration by the overhead command over
# two rounds (one run a side gets no verdict: docs/overhead.md), every run's JMH JSON kept. A run takes 10-20 s plus
# its iterations (../README.md), so each batch size is one call of at most about 9 minutes:
#   OUT=$OUT bash overhead-call.sh b1     off against lean, 12 runs
#   OUT=$OUT bash overhead-call.sh b16    off against lean, 12 runs
#   OUT=$OUT bash overhead-call.sh b128   off against lean and continuous, 18 runs
# The runs go to /tmp/overhead/PART, which the overhead command resumes if a call ends early and the machine stays
# warm; it is packed into $OUT/overhead-PART.tgz, since the device returns no file whose name holds '=' or '+'.
# Needs on the GPU machine: /tmp/jre, the models in /tmp/models (fp32, fp16, onnx), TensorRT in /tmp/trt/lib with the
# three engines cached in /tmp/trt-engines, the DJL JNI installed by tools/gpu-env.sh. Run from the repository root
# with benchmarks.jar built with -Dexternal-libtorch.
set -u
PART=${1:?b1, b16 or b128}
mkdir -p /tmp/overhead; exec > >(tee -a "/tmp/overhead/call-$PART.log") 2>&1
date -u +%Y%m%dT%H%M%SZ
nvidia-smi --query-gpu=name,uuid,driver_version,power.limit,temperature.gpu,clocks.sm --format=csv
JAVA=/tmp/jre/bin/java; . tools/gpu-env.sh
J=($JAVA -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines
   -jar benchmarks.jar overhead -p model=resnet50 -p engine=pytorch-fp32,pytorch-fp16,tensorrt-fp16
   --variant off= --variant "lean=energy:sampling=lean;settle=5" --rounds 2 -wi 2 -w 1s -i 10 -r 1s)
set -x
case $PART in
  b1)   timeout -k 5 540 "${J[@]}" -p batchSize=1 --out /tmp/overhead/b1 ;;
  b16)  timeout -k 5 540 "${J[@]}" -p batchSize=16 --out /tmp/overhead/b16 ;;
  b128) timeout -k 5 540 "${J[@]}" -p batchSize=128 --variant "continuous=energy:sampling=continuous;settle=5" \
          --out /tmp/overhead/b128 ;;
  *) echo "overhead-call.sh: PART is b1, b16 or b128, not $PART"; exit 2 ;;
esac
set +x
date -u +%Y%m%dT%H%M%SZ
tar -C /tmp/overhead -czf "$OUT/overhead-$PART.tgz" "$PART" "call-$PART.log"
