#!/usr/bin/env bash
# Issue 19 item 1 with the default sampling=ends, in one call, most valuable step first, within SECONDS; everything so
# far is packed into $OUT/go.tgz:
#   prep (ends-prep.sh: JRE, JNI, exports, TensorRT engines for batch 16 and 128);
#   b128: tensorrt-fp16 at batch 128: no profiler, lean, ends (the default), 5 rounds of 2 + 5 x 1 s;
#   b128-pt: pytorch-fp16 and pytorch-fp32 at batch 128, the same;
#   trt-b16: tensorrt-fp16 batch 16: no profiler, lean, ends, 6 rounds of 2 + 8 x 1 s;
#   pt-b16: pytorch-fp32/fp16 batch 16: no profiler, ends, 2 rounds of 2 + 8 x 1 s;
#   b1: the three engines at batch 1: no profiler, ends, 2 rounds of 1 + 4 x 1 s.
# Repeat the same call while the machine stays warm; the overhead commands resume their --out.
# usage: copy this to .device/kit/go.sh and ends-prep.sh to .device/kit/prep.sh (results/ is moved out of the tree for
# device calls, to stay under 64 MiB), then after the TensorRT parts, from the repository root:
#   JNI_BUILD=<command> OUT=$OUT bash .device/kit/go.sh 570
set -u
budget=${1:-570}; t0=$SECONDS
left() { echo $(( budget - (SECONDS - t0) - 20 )); }
mkdir -p /tmp/go /tmp/overhead
exec > >(tee -a /tmp/go/go.log) 2>&1
echo "=== go $(date -u +%Y%m%dT%H%M%SZ) budget $budget"
pack() { tar -C /tmp -czf "$OUT/go.tgz" go overhead $( [ -f /tmp/prep.log ] && echo prep.log ); echo "packed $(date -u +%H:%M:%S)"; }
trap pack EXIT
if [ ! -f /tmp/go/prep.done ]; then
  ENGINE_BATCHES="16 128" OUT=/tmp bash .device/kit/prep.sh
  n=$(ls /tmp/trt-engines 2>/dev/null | grep -c '\.engine$')
  echo "engines in cache: $n"; ls -la /tmp/trt-engines
  [ "$n" -ge 2 ] && touch /tmp/go/prep.done || { echo "prep incomplete"; exit 1; }
fi
JAVA=/tmp/jre/bin/java; set --; . tools/gpu-env.sh /tmp/jni/0.35.1-libdjl_torch.so
J=($JAVA -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines
   -jar .device/benchmarks.jar overhead -p model=resnet50)
OFF=(--variant off=); LEAN=(--variant "lean=energy:sampling=lean;settle=5"); ENDS=(--variant "ends=energy:sampling=ends;settle=5")
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
step b128 60 -p engine=tensorrt-fp16 -p batchSize=128 "${OFF[@]}" "${LEAN[@]}" "${ENDS[@]}" \
  --rounds 5 -wi 2 -w 1s -i 5 -r 1s --out /tmp/overhead/b128
[ -f /tmp/jni/0.35.1-libdjl_torch.so ] || { echo "no JNI: no PyTorch"; exit 0; }
step b128-pt 60 -p engine=pytorch-fp16,pytorch-fp32 -p batchSize=128 "${OFF[@]}" "${LEAN[@]}" "${ENDS[@]}" \
  --rounds 5 -wi 2 -w 1s -i 5 -r 1s --out /tmp/overhead/b128-pt
step trt-b16 60 -p engine=tensorrt-fp16 -p batchSize=16 "${OFF[@]}" "${LEAN[@]}" "${ENDS[@]}" \
  --rounds 6 -wi 2 -w 1s -i 8 -r 1s --out /tmp/overhead/trt-b16
step pt-b16 60 -p engine=pytorch-fp32,pytorch-fp16 -p batchSize=16 "${OFF[@]}" "${ENDS[@]}" \
  --rounds 2 -wi 2 -w 1s -i 8 -r 1s --out /tmp/overhead/pt-b16
step b1 40 -p engine=pytorch-fp32,pytorch-fp16,tensorrt-fp16 -p batchSize=1 "${OFF[@]}" "${ENDS[@]}" \
  --rounds 2 -wi 1 -w 1s -i 4 -r 1s --out /tmp/overhead/b1
echo "=== all done $(date -u +%H:%M:%S)"
