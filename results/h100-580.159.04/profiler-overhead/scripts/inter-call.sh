#!/usr/bin/env bash
# Issue 19 item 1 inside runs: each run's measured windows alternate (ABBA) between windows the default profiler
# (sampling=ends) samples and windows it sits out with its sampler parked (energy:interleave=true), for ResNet-50 with
# the three engines at batch 1, 16 and 128; everything so far is packed into $OUT/go.tgz:
#   prep (prep.sh with ENGINE_BATCHES="1 16 128": JRE, JNI, exports, the TensorRT engines);
#   r1: every configuration once, 2 + 16 x 1 s (four ABBA blocks);
#   r2, r3: the same --out with --rounds 2, 3;
#   cont: sampling=continuous interleaved at batch 1 and 16, one round (a sampler that costs, as a check);
#   r4: --rounds 4.
# Repeat the same call while the machine stays warm; the overhead commands resume their --out.
# usage (results/ and the embedded models moved out of the tree, to stay under 64 MiB), after the TensorRT parts:
#   JNI_BUILD=<command> OUT=$OUT bash .device/kit/inter.sh 570
set -u
budget=${1:-570}; t0=$SECONDS
left() { echo $(( budget - (SECONDS - t0) - 20 )); }
mkdir -p /tmp/go /tmp/overhead
exec > >(tee -a /tmp/go/go.log) 2>&1
echo "=== inter $(date -u +%Y%m%dT%H%M%SZ) budget $budget"
pack() { tar -C /tmp -czf "$OUT/go.tgz" go overhead $( [ -f /tmp/prep.log ] && echo prep.log ); echo "packed $(date -u +%H:%M:%S)"; }
trap pack EXIT
if [ ! -f /tmp/go/prep.done ]; then
  ENGINE_BATCHES="1 16 128" OUT=/tmp bash .device/kit/prep.sh
  n=$(ls /tmp/trt-engines 2>/dev/null | grep -c '\.engine$')
  echo "engines in cache: $n"; ls -la /tmp/trt-engines
  [ -f /tmp/jni/0.35.1-libdjl_torch.so ] && touch /tmp/go/prep.done || { echo "prep incomplete: no JNI"; exit 1; }
fi
JAVA=/tmp/jre/bin/java; set --; . tools/gpu-env.sh /tmp/jni/0.35.1-libdjl_torch.so
PROPS=(-Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines)
J=($JAVA "${PROPS[@]}" -jar .device/benchmarks.jar overhead -p model=resnet50)
TRT=$( [ "$(ls /tmp/trt-engines 2>/dev/null | grep -c '\.engine$')" -ge 3 ] && echo ",tensorrt-fp16" )
V=(--variant "ends=energy:interleave=true;verbose=true;settle=5")
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
for r in 1 2 3; do
  step r$r 60 "${J[@]}" -p engine=pytorch-fp32,pytorch-fp16$TRT -p batchSize=1,16,128 "${V[@]}" \
    --rounds $r -wi 2 -w 1s -i 16 -r 1s --out /tmp/overhead/inter
done
# a sampler known to cost (sampling=continuous: the counter read at 500 Hz throughout), so that the comparison shows
# it can see a cost where there is one
step cont 60 "${J[@]}" -p engine=pytorch-fp32,pytorch-fp16$TRT -p batchSize=1,16 \
  --variant "continuous=energy:interleave=true;sampling=continuous;settle=5" \
  --rounds 1 -wi 2 -w 1s -i 16 -r 1s --out /tmp/overhead/cont
step r4 60 "${J[@]}" -p engine=pytorch-fp32,pytorch-fp16$TRT -p batchSize=1,16,128 "${V[@]}" \
  --rounds 4 -wi 2 -w 1s -i 16 -r 1s --out /tmp/overhead/inter
echo "=== all done $(date -u +%H:%M:%S)"
