#!/usr/bin/env bash
# Issue 19 item 1, the first of three calls on one warm machine (the other two: ../README.md, "Eighth call"),
# most valuable step first, within SECONDS; everything so far is packed into $OUT/go.tgz:
#   prep (ends-prep.sh with ENGINE_BATCHES=1: JRE, JNI, exports, the TensorRT engine for batch 1);
#   small: the three engines at batch 16 and 1: no profiler and ends (the default), 2 rounds of 2 + 8 x 1 s (each ends
#          window records energy.sampler-busy-%);
#   default-b1: pytorch-fp16 and tensorrt-fp16 at batch 1 with the suite's defaults (5 s windows), one run each;
#   fp32-b128: pytorch-fp32 at batch 128: no profiler and ends, 8 rounds of 2 + 5 x 1 s.
# (The call ended after small: "no time for default-b1".)
# Repeat the same call while the machine stays warm; the overhead commands resume their --out.
# usage (results/ and the embedded models moved out of the tree, to stay under 64 MiB), after the TensorRT parts:
#   JNI_BUILD=<command> OUT=$OUT bash .device/kit/bound.sh 575
# (ran as such; prep.sh is ../../../h200-580.159.04/profiler-overhead/scripts/ends-prep.sh)
set -u
budget=${1:-570}; t0=$SECONDS
left() { echo $(( budget - (SECONDS - t0) - 20 )); }
mkdir -p /tmp/go /tmp/overhead
exec > >(tee -a /tmp/go/go.log) 2>&1
echo "=== bound $(date -u +%Y%m%dT%H%M%SZ) budget $budget"
pack() { tar -C /tmp -czf "$OUT/go.tgz" go overhead $( [ -f /tmp/prep.log ] && echo prep.log ); echo "packed $(date -u +%H:%M:%S)"; }
trap pack EXIT
if [ ! -f /tmp/go/prep.done ]; then
  ENGINE_BATCHES="1" OUT=/tmp bash .device/kit/prep.sh
  n=$(ls /tmp/trt-engines 2>/dev/null | grep -c '\.engine$')
  echo "engines in cache: $n"; ls -la /tmp/trt-engines
  [ -f /tmp/jni/0.35.1-libdjl_torch.so ] && touch /tmp/go/prep.done || { echo "prep incomplete: no JNI"; exit 1; }
fi
JAVA=/tmp/jre/bin/java; set --; . tools/gpu-env.sh /tmp/jni/0.35.1-libdjl_torch.so
PROPS=(-Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines)
J=($JAVA "${PROPS[@]}" -jar .device/benchmarks.jar overhead -p model=resnet50)
OFF=(--variant off=); ENDS=(--variant "ends=energy:sampling=ends;settle=5")
TRT=$( [ "$(ls /tmp/trt-engines 2>/dev/null | grep -c '\.engine$')" -ge 1 ] && echo ",tensorrt-fp16" )
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
step small 60 "${J[@]}" -p engine=pytorch-fp32,pytorch-fp16$TRT -p batchSize=16,1 "${OFF[@]}" "${ENDS[@]}" \
  --rounds 2 -wi 2 -w 1s -i 8 -r 1s --out /tmp/overhead/small
step default-b1 90 $JAVA "${PROPS[@]}" -jar .device/benchmarks.jar -p model=resnet50 -p engine=pytorch-fp16$TRT \
  -p batchSize=1 -rf json -rff /tmp/go/default-b1.json
step fp32-b128 60 "${J[@]}" -p engine=pytorch-fp32 -p batchSize=128 "${OFF[@]}" "${ENDS[@]}" \
  --rounds 8 -wi 2 -w 1s -i 5 -r 1s --out /tmp/overhead/fp32-b128
echo "=== all done $(date -u +%H:%M:%S)"
