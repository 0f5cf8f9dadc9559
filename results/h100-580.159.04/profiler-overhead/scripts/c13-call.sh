#!/usr/bin/env bash
# Issue 19 item 1 at batch 1 for tensorrt-fp16 alone (the engine whose runs' ratios spread least on the twelfth board:
# planning figure 4, interval [0.9840, 1.0012] from 4 runs): the default sampler (ends) against no sampler inside the
# same runs (energy:interleave=true) for ResNet-50, 48 measured 1 s windows a run, with the scheduling profiler and its
# host-pace probe in every window of both kinds, as the twelfth call, in as many runs as the session's device time holds.
# Before that, once: the TensorRT batch-1 engine.
# Per round r: b1 with --rounds r; repeat the call while warm.
# usage: JNI_BUILD=<command> OUT=$OUT bash .device/kit/c13.sh 575
set -u
budget=${1:-575}; t0=$SECONDS
left() { echo $(( budget - (SECONDS - t0) - 20 )); }
mkdir -p /tmp/go /tmp/overhead
exec > >(tee -a /tmp/go/go.log) 2>&1
echo "=== c13 $(date -u +%Y%m%dT%H%M%SZ) budget $budget"
pack() { tar -C /tmp -czf "$OUT/go.tgz" go overhead $( [ -f /tmp/prep.log ] && echo prep.log ); echo "packed $(date -u +%H:%M:%S)"; }
trap pack EXIT
if [ ! -f /tmp/go/prep.done ]; then
  lscpu | grep -E 'Model name|^CPU\(s\)|NUMA node\(s\)|Thread|MHz' ; nproc; uptime
  eb="1"; touch /tmp/go/oom.done
  ENGINE_BATCHES="$eb" OUT=/tmp bash .device/kit/prep.sh
  ls -la /tmp/trt-engines
  [ -f /tmp/jni/0.35.1-libdjl_torch.so ] && touch /tmp/go/prep.done || { echo "prep incomplete: no JNI"; exit 1; }
fi
JAVA=/tmp/jre/bin/java; set --; . tools/gpu-env.sh /tmp/jni/0.35.1-libdjl_torch.so
PROPS=(-Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines)
if [ ! -f /tmp/go/oom.done ]; then
  for leave in 380 460 540 620; do
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
ENDS="ends=-prof sched:probe=true -prof energy:interleave=true;verbose=true;settle=5"
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
b1() { step b1-r$1 70 "${J[@]}" -p engine=tensorrt-fp16 -p batchSize=1 --variant "$ENDS" \
  --rounds $1 "${RUN[@]}" --out /tmp/overhead/b1; }
for r in $(seq 1 40); do b1 $r; done
echo "=== all done $(date -u +%H:%M:%S)"
