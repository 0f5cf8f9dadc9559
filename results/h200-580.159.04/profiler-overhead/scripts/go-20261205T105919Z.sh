#!/usr/bin/env bash
# One call does what is left, in order, within SECONDS, and packs everything so far into $OUT/go.tgz:
#   prep (JRE, JNI, exports, TensorRT engines for batch 1, 16, 128);
#   item1-b16, item1-b1: overhead off (no profiler) / lean (the default sampler), 3 engines, 2 rounds, 12 x 1 s each;
#   item1-b128: off / lean / continuous, 3 engines, 2 rounds, 8 x 1 s (J/img lean against continuous);
#   diag-b16: pytorch-fp16 batch 16, no profiler / sched:probe=true / sched:probe=true + gc + comp, 3 rounds;
#   item1-more: rounds 3-4 of item1-b16 and item1-b1 (the same --out, resumed);
#   controls: NVML field cost; Python eager and TorchScript fp16 batch 1 in two processes, 8 x 1 s windows each.
# Repeat the same call while the machine stays warm; the overhead commands resume their --out.
# usage (repo root, after the 10 TensorRT parts): OUT=$OUT bash .device/kit/go.sh 570
set -u
budget=${1:-570}; t0=$SECONDS
left() { echo $(( budget - (SECONDS - t0) - 20 )); }
mkdir -p /tmp/go /tmp/overhead /tmp/jitter
exec > >(tee -a /tmp/go/go.log) 2>&1
echo "=== go $(date -u +%Y%m%dT%H%M%SZ) budget $budget"
pack() { tar -C /tmp -czf "$OUT/go.tgz" go overhead jitter $( [ -f /tmp/prep.log ] && echo prep.log ); echo "packed $(date -u +%H:%M:%S)"; }
trap pack EXIT
if [ ! -f /tmp/go/prep.done ]; then
  ENGINE_BATCHES='1 16 128' OUT=/tmp bash .device/kit/prep.sh
  n=$(ls /tmp/trt-engines 2>/dev/null | grep -c '\.engine$')
  echo "engines in cache: $n"; ls -la /tmp/trt-engines
  [ "$n" -ge 3 ] && touch /tmp/go/prep.done || { echo "prep incomplete"; exit 1; }
fi
JAVA=/tmp/jre/bin/java; set --; . tools/gpu-env.sh
# pinned: four CPUs on four distinct cores (no hyperthread siblings among them), cpu0 (interrupts) left out
lscpu -e 2>/dev/null | head -20
cpus=$(for c in /sys/devices/system/cpu/cpu[0-9]*; do n=${c##*cpu}; s=$(cut -d, -f1 < $c/topology/thread_siblings_list | cut -d- -f1)
  [ "$n" = "$s" ] && [ "$n" != 0 ] && echo $n; done | sort -n | head -4 | paste -sd,)
echo "pinned CPUs: ${cpus:=4,5,6,7}"
printf '#!/bin/sh\nexec taskset -c %s %s "$@"\n' "$cpus" "$JAVA" > /tmp/pinned-java; chmod +x /tmp/pinned-java
J=($JAVA -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines
   -jar .device/benchmarks.jar overhead -p model=resnet50)
LEAN="lean=energy:sampling=lean;settle=5"
PROFS="-prof sched:probe=true -prof gc -prof comp -prof energy:settle=5"
# step NAME MIN_SECONDS ARGS...: runs one overhead command unless done; stops the script when time runs out
step() {
  local name=$1 min=$2; shift 2
  [ -f /tmp/go/$name.done ] && return 0
  local l; l=$(left); [ "$l" -lt "$min" ] && { echo "no time for $name"; exit 0; }
  nvidia-smi --query-gpu=name,uuid,temperature.gpu,clocks.sm,power.draw --format=csv,noheader
  echo "--- $name, $l s left $(date -u +%H:%M:%S)"
  timeout -k 5 "$l" "${J[@]}" "$@"; local rc=$?
  echo "$name exit $rc $(date -u +%H:%M:%S)"
  [ $rc -eq 124 ] || [ $rc -eq 137 ] && exit 0
  touch /tmp/go/$name.done
}
OFFLEAN=(--variant off= --variant "$LEAN")
step item1-b16 60 -p engine=pytorch-fp32,pytorch-fp16,tensorrt-fp16 -p batchSize=16 "${OFFLEAN[@]}" \
  --rounds 2 -wi 2 -w 1s -i 12 -r 1s --out /tmp/overhead/b16
step item1-b1 60 -p engine=pytorch-fp32,pytorch-fp16,tensorrt-fp16 -p batchSize=1 "${OFFLEAN[@]}" \
  --rounds 2 -wi 2 -w 1s -i 12 -r 1s --out /tmp/overhead/b1
step item1-b128 60 -p engine=pytorch-fp32,pytorch-fp16,tensorrt-fp16 -p batchSize=128 "${OFFLEAN[@]}" \
  --variant "continuous=energy:sampling=continuous;settle=5" --rounds 2 -wi 2 -w 1s -i 8 -r 1s --out /tmp/overhead/b128
# the diagnostic profilers alone against none: pytorch-fp16 batch 16 ran 20 % slower with them in the H100 call
step diag-b16 60 -p engine=pytorch-fp16 -p batchSize=16 --variant off= --variant "probe=-prof sched:probe=true" \
  --variant "diag=-prof sched:probe=true -prof gc -prof comp" --rounds 3 -wi 2 -w 1s -i 8 -r 1s --out /tmp/overhead/diag-b16
step item1-more-b16 60 -p engine=pytorch-fp32,pytorch-fp16,tensorrt-fp16 -p batchSize=16 "${OFFLEAN[@]}" \
  --rounds 4 -wi 2 -w 1s -i 12 -r 1s --out /tmp/overhead/b16
step item1-more-b1 60 -p engine=pytorch-fp32,pytorch-fp16,tensorrt-fp16 -p batchSize=1 "${OFFLEAN[@]}" \
  --rounds 4 -wi 2 -w 1s -i 12 -r 1s --out /tmp/overhead/b1
if [ ! -f /tmp/go/controls.done ]; then
  l=$(left); [ "$l" -lt 120 ] && { echo "no time for controls"; exit 0; }
  python3 .device/kit/nvml_energy_fields.py | tee /tmp/jitter/nvml-timing.jsonl
  for p in 1 2; do timeout -k 5 90 python3 .device/kit/jitter_controls.py /tmp/models 8 | sed "s/^/{\"process\": $p, /; s/^{\"process\": $p, {/{\"process\": $p, /" | tee -a /tmp/jitter/controls.jsonl; done
  touch /tmp/go/controls.done
fi
echo "=== all done $(date -u +%H:%M:%S)"
