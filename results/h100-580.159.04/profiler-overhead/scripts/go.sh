#!/usr/bin/env bash
# One call does what is left, in order, within SECONDS, and packs everything so far into $OUT/go.tgz:
#   prep (JRE, JNI, exports, TensorRT engines for batch 1, 4, 16);
#   b16: overhead off / lean, 3 engines, 2 rounds (issue 19 item 1);
#   controls: NVML field cost; Python eager and TorchScript fp16 batch 1 in two processes, 8 x 1 s windows each;
#   jitter-b1: pytorch-fp16 and tensorrt-fp16, batch 1, 3 rounds of glibc (-Dgpuenergy.malloc=default: the allocator
#     before the fix) / base (the suite as it is) / pinned (taskset to 4 CPUs on distinct cores), each run with
#     -prof sched:probe=true -prof gc -prof comp -prof energy;
#   reopen: engine sessions reopened in 3 JVMs, 2 each, the host's speed timed on the benchmark's thread;
#   jitter-b4-16: the same at batch 4 and 16, glibc / base, 2 rounds;
#   b1r6: batch 1 off / lean (both with -prof sched:probe=true), 3 engines, 6 rounds, with what time is left.
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
  OUT=/tmp bash .device/kit/prep.sh
  n=$(ls /tmp/trt-engines 2>/dev/null | grep -c '\.engine$')
  echo "engines in cache: $n"; ls -la /tmp/trt-engines
  [ "$n" -ge 3 ] && touch /tmp/go/prep.done || { echo "prep incomplete"; exit 1; }
fi
JAVA=/tmp/jre/bin/java; . tools/gpu-env.sh
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
step b16 40 -p engine=pytorch-fp32,pytorch-fp16,tensorrt-fp16 -p batchSize=16 --variant off= --variant "$LEAN" \
  --rounds 2 -wi 2 -w 1s -i 8 -r 1s --out /tmp/overhead/b16
if [ ! -f /tmp/go/controls.done ]; then
  l=$(left); [ "$l" -lt 120 ] && { echo "no time for controls"; exit 0; }
  python3 .device/kit/nvml_energy_fields.py | tee /tmp/jitter/nvml-timing.jsonl
  for p in 1 2; do timeout -k 5 90 python3 .device/kit/jitter_controls.py /tmp/models 8 | sed "s/^/{\"process\": $p, /; s/^{\"process\": $p, {/{\"process\": $p, /" | tee -a /tmp/jitter/controls.jsonl; done
  touch /tmp/go/controls.done
fi
command -v taskset >/dev/null || echo "taskset missing: the pinned variant fails"
GLIBC="glibc=-jvmArgsAppend -Dgpuenergy.malloc=default $PROFS"
step jitter-b1 60 -p engine=pytorch-fp16,tensorrt-fp16 -p batchSize=1 --variant "$GLIBC" --variant "base=$PROFS" \
  --variant "pinned=-jvm /tmp/pinned-java $PROFS" --rounds 3 -wi 2 -w 1s -i 8 -r 1s --out /tmp/jitter/b1
if [ ! -f /tmp/go/reopen.done ]; then
  # engine sessions reopened inside JVMs, the host's own pace timed on the benchmark's thread before each iteration
  l=$(left); [ "$l" -lt 200 ] && { echo "no time for reopen"; exit 0; }
  for e in pytorch-fp16 tensorrt-fp16; do
    echo "--- reopen $e $(date -u +%H:%M:%S)"
    JAR=.device/benchmarks.jar JAVA=$JAVA REOPEN_CP=.device/kit/reopen JVMS=3 SESSIONS=2 WARMUP_S=2 ITERATIONS=4 CALIBRATE=1 \
      MODEL=resnet50 ENGINE=$e BATCH=1 JAVA_OPTS="-Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines" \
      timeout -k 5 100 bash .device/kit/reopen.sh /tmp/jitter/reopen-$e.tsv
  done
  touch /tmp/go/reopen.done
fi
step jitter-b4-16 60 -p engine=pytorch-fp16,tensorrt-fp16 -p batchSize=4,16 --variant "$GLIBC" --variant "base=$PROFS" \
  --rounds 2 -wi 2 -w 1s -i 8 -r 1s --out /tmp/jitter/b4-16
# sched on both sides: its reads lie outside the windows, and they tell whether lean's sampler preempts the worker
step b1r6 40 -p engine=pytorch-fp32,pytorch-fp16,tensorrt-fp16 -p batchSize=1 --variant "off=-prof sched:probe=true" \
  --variant "lean=-prof sched:probe=true -prof energy:sampling=lean;settle=5" \
  --rounds 6 -wi 2 -w 1s -i 8 -r 1s --out /tmp/overhead/b1r6
echo "=== all done $(date -u +%H:%M:%S)"
