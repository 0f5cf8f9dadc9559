#!/usr/bin/env bash
# Issue 19 item 2 in one device call: controls for the launch-bound jitter (a pure CPU loop,
# Python eager and the suite's TorchScript file in Python, 1 s windows: scripts/jitter_controls.py), the energy counter's cost
# against its NVML fields 83 and 191 (scripts/nvml_energy_fields.py), then ResNet-50 pytorch-fp16 at batch 1, 4, 16 with the
# sampler continuous (before) and lean (after) in the same call: their J/img intervals. Same setup as overhead-call.sh.
set -u
mkdir -p $OUT/jitter; exec > >(tee "$OUT/jitter/call.log") 2>&1
date -u +%Y%m%dT%H%M%SZ
nvidia-smi --query-gpu=name,uuid,driver_version,power.limit,temperature.gpu,clocks.sm --format=csv
JAVA=/tmp/jre/bin/java; . tools/gpu-env.sh
python3 results/h200-580.159.04/profiler-overhead/scripts/nvml_energy_fields.py | tee $OUT/jitter/nvml-timing.jsonl
python3 results/h200-580.159.04/profiler-overhead/scripts/jitter_controls.py /tmp/models 15 | tee $OUT/jitter/controls.jsonl
set -x
timeout -k 5 420 $JAVA -Dgpuenergy.models=/tmp/models -jar benchmarks.jar overhead -p model=resnet50 -p engine=pytorch-fp16 \
  -p batchSize=1,4,16 --variant "continuous=energy:sampling=continuous;settle=5" --variant "lean=energy:sampling=lean;settle=5" \
  --rounds 2 -wi 2 -w 1s -i 10 -r 1s --out /tmp/jitter/before-after
set +x
date -u +%Y%m%dT%H%M%SZ
# the device returns no file whose name holds '=' or '+': the runs come back packed
tar -C /tmp/jitter -czf $OUT/jitter/before-after.tgz before-after
