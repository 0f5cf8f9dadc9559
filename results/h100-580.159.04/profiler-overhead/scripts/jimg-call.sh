#!/usr/bin/env bash
# Issue 19 item 1 on one board in one call: the default sampler (sampling=ends) against no sampler inside the same runs
# (energy:interleave=true: measured windows in ABBA blocks, sat out, sampled, sampled, sat out) for ResNet-50 with the
# three engines at batch 1, 16 and 128; and at batch 128 J/img of the default sampler against sampling=continuous (the
# counter read at 500 Hz throughout: the method the issue calls today's), both interleaved, taken in turn in the same
# rounds. Everything so far is packed into $OUT/go.tgz:
#   prep (prep.sh with ENGINE_BATCHES="1 16 128": JRE, JNI, exports, the TensorRT engines);
#   per round r (1, 2, 3): b1-16 then b128, each the same --out with --rounds r (each command resumes its --out);
#   then b128 round 4, then b1-16 round 4, while time is left.
# Repeat the same call while the machine stays warm.
# usage (results/ and the embedded models moved out of the tree, to stay under 64 MiB), after the TensorRT parts:
#   JNI_BUILD=<command> OUT=$OUT bash .device/kit/jimg.sh 575
set -u
budget=${1:-575}; t0=$SECONDS
left() { echo $(( budget - (SECONDS - t0) - 20 )); }
mkdir -p /tmp/go /tmp/overhead
exec > >(tee -a /tmp/go/go.log) 2>&1
echo "=== jimg $(date -u +%Y%m%dT%H%M%SZ) budget $budget"
pack() { tar -C /tmp -czf "$OUT/go.tgz" go overhead $( [ -f /tmp/prep.log ] && echo prep.log ); echo "packed $(date -u +%H:%M:%S)"; }
trap pack EXIT
if [ ! -f /tmp/go/prep.done ]; then
  lscpu | grep -E 'Model name|^CPU\(s\)|NUMA node\(s\)|Thread|MHz' ; nproc; uptime
  ENGINE_BATCHES="1 16 128" OUT=/tmp bash .device/kit/prep.sh
  n=$(ls /tmp/trt-engines 2>/dev/null | grep -c '\.engine$')
  echo "engines in cache: $n"; ls -la /tmp/trt-engines
  [ -f /tmp/jni/0.35.1-libdjl_torch.so ] && touch /tmp/go/prep.done || { echo "prep incomplete: no JNI"; exit 1; }
fi
JAVA=/tmp/jre/bin/java; set --; . tools/gpu-env.sh /tmp/jni/0.35.1-libdjl_torch.so
PROPS=(-Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines)
J=($JAVA "${PROPS[@]}" -jar .device/benchmarks.jar overhead -p model=resnet50)
TRT=$( [ "$(ls /tmp/trt-engines 2>/dev/null | grep -c '\.engine$')" -ge 3 ] && echo ",tensorrt-fp16" )
ENDS="ends=energy:interleave=true;verbose=true;settle=5"
CONT="continuous=energy:interleave=true;sampling=continuous;verbose=true;settle=5"
RUN=(-wi 2 -w 1s -i 16 -r 1s)
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
b1_16() { step b1-16-r$1 60 "${J[@]}" -p engine=pytorch-fp32,pytorch-fp16$TRT -p batchSize=1,16 --variant "$ENDS" \
  --rounds $1 "${RUN[@]}" --out /tmp/overhead/inter; }
b128() { step b128-r$1 60 "${J[@]}" -p engine=pytorch-fp32,pytorch-fp16$TRT -p batchSize=128 --variant "$ENDS" \
  --variant "$CONT" --rounds $1 "${RUN[@]}" --out /tmp/overhead/b128; }
for r in 1 2 3; do b1_16 $r; b128 $r; done
b128 4
b1_16 4
echo "=== all done $(date -u +%H:%M:%S)"
