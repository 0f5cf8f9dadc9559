#!/usr/bin/env bash
# Issue 22 on a machine with two GPUs (device kind nvidia-h200-x2), one call of about 5 minutes: two ladders
# (ResNet-50 pytorch-fp32 and pytorch-fp16, batch 128 only) run alone on each GPU, one after the other, then at once with
# `sweep --gpus 0,1`; per_gpu_check.py pairs each result of the joint run with the same engine run alone on the same
# board (gpu.uuid) and prints their J/img ratio. Needs on the GPU machine: /tmp/jre, the models in /tmp/models
# (fp32, fp16), the DJL JNI installed by tools/gpu-env.sh. Run from the repository root with benchmarks.jar built with
# -Dexternal-libtorch (or JAR=path/to/benchmarks.jar).
set -u
mkdir -p /tmp/multi; exec > >(tee -a /tmp/multi/call.log) 2>&1
date -u +%Y%m%dT%H%M%SZ
nvidia-smi --query-gpu=index,name,uuid,driver_version,power.limit,temperature.gpu,clocks.sm --format=csv
JAVA=/tmp/jre/bin/java; . tools/gpu-env.sh
S=($JAVA -Dgpuenergy.models=/tmp/models -jar ${JAR:-benchmarks.jar} sweep -p model=resnet50 -p engine=pytorch-fp32,pytorch-fp16
   --min-batch 128 --max-batch 128 --min-seconds 1 -wi 3 -w 1s -i 10)
set -x
timeout -k 5 120 "${S[@]}" --gpus 0 --out /tmp/multi/alone-0
timeout -k 5 120 "${S[@]}" --gpus 1 --out /tmp/multi/alone-1
timeout -k 5 120 "${S[@]}" --gpus 0,1 --out /tmp/multi/together
set +x
python3 results/h200-580.159.04/scale-out/scripts/per_gpu_check.py /tmp/multi | tee /tmp/multi/per-gpu.txt
date -u +%Y%m%dT%H%M%SZ
tar -C /tmp -czf "$OUT/multi.tgz" multi
