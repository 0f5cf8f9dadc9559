#!/usr/bin/env bash
# One short call, PyTorch only (no TensorRT parts): ResNet-50 pytorch-fp16 batch 128, off / lean / ends / continuous,
# 2 interleaved rounds, within budget $1 s; everything packed into $OUT/b128.tgz
set -u; budget=${1:-230}; t0=$SECONDS
mkdir -p /tmp/b128; exec > >(tee -a /tmp/b128/b128.log) 2>&1
pack() { tar -C /tmp -czf "$OUT/b128.tgz" b128; echo "packed $(date -u +%H:%M:%S)"; }
trap pack EXIT
date -u +%Y%m%dT%H%M%SZ
nvidia-smi --query-gpu=name,uuid,driver_version,power.limit,temperature.gpu,clocks.sm --format=csv,noheader
[ -x /tmp/jre/bin/java ] || tar -xJf .device/jre.tar.xz -C /tmp; JAVA=/tmp/jre/bin/java
. tools/gpu-env.sh .device/jni/0.35.1-libdjl_torch.so
[ -f /tmp/models/resnet50/resnet50-fp16.pt ] || python3 tools/export_models.py --models resnet50 --formats fp16 --out /tmp/models 2>&1 | tail -3
left=$(( budget - (SECONDS - t0) - 10 )); echo "overhead with $left s left $(date -u +%H:%M:%S)"
timeout -k 5 $left $JAVA -Dgpuenergy.models=/tmp/models -jar .device/benchmarks.jar overhead -p model=resnet50 \
  -p engine=pytorch-fp16 -p batchSize=128 --variant off= --variant "lean=energy:sampling=lean;settle=5" \
  --variant "ends=energy:sampling=ends;settle=5" --variant "continuous=energy:sampling=continuous;settle=5" \
  --rounds 2 -wi 2 -w 1s -i 5 -r 1s --out /tmp/b128/b128-pytorch-fp16 | grep -v "^ \|^Iteration\|^#\|^$\|Secondary\|CI (99\|(min, avg\|iterations' own"
echo "overhead exit $? $(date -u +%H:%M:%S)"
