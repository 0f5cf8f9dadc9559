#!/usr/bin/env bash
# Issue 19 item 1 where it is still undecided: the default sampler (ends) against no sampler inside the same runs
# (energy:interleave=true) for ResNet-50 at batch 1 with the three engines and pytorch-fp16 at batch 16, with 48 measured
# 1 s windows a run (24 of each kind) where earlier calls had 16. Before that, once: the TensorRT batch-1 engine, and
# TensorRT set up beside another process that holds all but 300, 700 or 1200 MiB of the GPU's memory (what a cached
# engine that cannot be loaded, or a context or buffer that cannot be allocated, is recorded as).
# Per round r: b1 (three engines) then b16 (pytorch-fp16), each its own --out with --rounds r; repeat the call while warm.
# usage: JNI_BUILD=<command> OUT=$OUT bash .device/kit/b1.sh 575
set -u
budget=${1:-575}; t0=$SECONDS
left() { echo $(( budget - (SECONDS - t0) - 20 )); }
mkdir -p /tmp/go /tmp/overhead
exec > >(tee -a /tmp/go/go.log) 2>&1
echo "=== b1 $(date -u +%Y%m%dT%H%M%SZ) budget $budget"
pack() { tar -C /tmp -czf "$OUT/go.tgz" go overhead $( [ -f /tmp/prep.log ] && echo prep.log ); echo "packed $(date -u +%H:%M:%S)"; }
trap pack EXIT
if [ ! -f /tmp/go/prep.done ]; then
  lscpu | grep -E 'Model name|^CPU\(s\)|NUMA node\(s\)|Thread|MHz' ; nproc; uptime
  ENGINE_BATCHES="1" OUT=/tmp bash .device/kit/prep.sh
  ls -la /tmp/trt-engines
  [ -f /tmp/jni/0.35.1-libdjl_torch.so ] && touch /tmp/go/prep.done || { echo "prep incomplete: no JNI"; exit 1; }
fi
JAVA=/tmp/jre/bin/java; set --; . tools/gpu-env.sh /tmp/jni/0.35.1-libdjl_torch.so
PROPS=(-Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines)
if [ ! -f /tmp/go/oom.done ]; then
  for leave in 300 700 1200; do
    rm -f /tmp/hog.ready
    python3 - $leave > /tmp/go/hog-$leave.log 2>&1 <<'PY' &
import sys, time, torch
free, total = torch.cuda.mem_get_info()
x = torch.empty(free - int(sys.argv[1]) * 2**20, dtype=torch.uint8, device='cuda')
print('hog holds', x.numel() >> 20, 'MiB; free now', torch.cuda.mem_get_info()[0] >> 20, 'of', total >> 20, 'MiB', flush=True)
open('/tmp/hog.ready', 'w').close()
time.sleep(45)
PY
    hp=$!; for i in $(seq 80); do [ -f /tmp/hog.ready ] && break; sleep 0.25; done
    cat /tmp/go/hog-$leave.log; nvidia-smi --query-gpu=memory.used,memory.free --format=csv,noheader
    timeout -k 5 60 $JAVA "${PROPS[@]}" -Dgpuenergy.energy=off -jar .device/benchmarks.jar InferenceBenchmark.infer -p model=resnet50 \
      -p engine=tensorrt-fp16 -p batchSize=1 -wi 0 -i 1 -r 1s -rf json -rff /tmp/go/oom-$leave.json > /tmp/go/oom-$leave.log 2>&1
    echo "leave $leave MiB: exit $?"; grep -iE 'not run|not-run|did-not-fit|memory|error|img/s|infer ' /tmp/go/oom-$leave.log | head -8
    kill $hp 2>/dev/null; wait $hp 2>/dev/null
  done
  touch /tmp/go/oom.done
fi
J=($JAVA "${PROPS[@]}" -jar .device/benchmarks.jar overhead -p model=resnet50)
ENDS="ends=energy:interleave=true;verbose=true;settle=5"
RUN=(-wi 2 -w 1s -i 48 -r 1s)
# step NAME MIN_SECONDS COMMAND...: runs one command unless done; stops the script when time runs out
step() {
  local name=$1 min=$2; shift 2
  [ -f /tmp/go/$name.done ] && return 0
  local l; l=$(left); [ "$l" -lt "$min" ] && { echo "no time for $name"; exit 0; }
  nvidia-smi --query-gpu=name,uuid,temperature.gpu,clocks.sm,power.draw --format=csv,noheader
  echo "--- $name, $l s left $(date -u +%H:%M:%S)"
  timeout -k 5 "$l" "$@"; local rc=$?
  echo "$name exit $rc $(date -u +%H:%M:%S)"
  [ $rc -eq 124 ] || [ $rc -eq 137 ] && exit 0
  touch /tmp/go/$name.done
}
b1() { step b1-r$1 70 "${J[@]}" -p engine=pytorch-fp16,tensorrt-fp16,pytorch-fp32 -p batchSize=1 --variant "$ENDS" \
  --rounds $1 "${RUN[@]}" --out /tmp/overhead/b1; }
b16() { step b16-r$1 70 "${J[@]}" -p engine=pytorch-fp16 -p batchSize=16 --variant "$ENDS" \
  --rounds $1 "${RUN[@]}" --out /tmp/overhead/b16; }
for r in 1 2 3 4 5 6 7 8; do b1 $r; b16 $r; done
echo "=== all done $(date -u +%H:%M:%S)"
