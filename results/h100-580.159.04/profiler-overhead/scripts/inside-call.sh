#!/usr/bin/env bash
# Issue 19 item 1 on one board in one session (asked for an H200): the default sampler (ends) against no sampler inside the same runs
# (energy:interleave=true: measured windows in ABBA blocks, sat out, sampled, sampled, sat out) for ResNet-50 with the
# three engines at batch 1, 16 and 128; at batch 128 also sampling=continuous (the counter at 500 Hz throughout, the
# method the issue calls today's) for J/img, interleaved too, in the same rounds. The tenth H100 call's design
# (jimg-call.sh) with its prep inline.
#   prep, once per warm machine: JRE, the DJL JNI for this libtorch ($JNI_BUILD, in the background), resnet50 exports
#   (fp32, fp16, onnx), the three TensorRT engines (batch 1, 16, 128) built side by side into /tmp/trt-engines;
#   per round r (1, 2, 3, ...): b1-16 then b128, each one overhead command on its --out with --rounds r (resumes).
# usage, after the TensorRT parts (/tmp/trt/lib), results/ and the embedded models moved out of the tree:
#   JNI_BUILD=<command> OUT=$OUT bash .device/kit/h200.sh 560      (the kit's name for this file; repeat while the machine stays warm)
#   REBUILD_CHECK=<script> adds one step after the prep: that script (rebuild-check.sh), once per warm machine.
#   WITH_TRT=0: the two PyTorch engines only, where TensorRT is not staged (no onnx export, no engine builds; the H200
#   call of 2026-12-07, ../../h200-580.159.04/profiler-overhead/calls/20261207T231610Z/).
set -u
budget=${1:-560}; t0=$SECONDS
left() { echo $(( budget - (SECONDS - t0) - 20 )); }
mkdir -p /tmp/go /tmp/overhead
exec > >(tee -a /tmp/go/go.log) 2>&1
echo "=== h200 $(date -u +%Y%m%dT%H%M%SZ) budget $budget"
pack() { tar -C /tmp -czf "$OUT/go.tgz" go overhead; echo "packed $(date -u +%H:%M:%S)"; }
trap pack EXIT
JAVA=/tmp/jre/bin/java
PROPS=(-Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines)
if [ ! -f /tmp/go/prep.done ]; then
  date -u +%Y%m%dT%H%M%SZ
  nvidia-smi --query-gpu=name,uuid,driver_version,power.limit,temperature.gpu,clocks.sm --format=csv
  lscpu | grep -E 'Model name|^CPU\(s\)|NUMA node\(s\)|Thread|MHz'; nproc; uptime
  # WITH_TRT=0: PyTorch's two engines only (no TensorRT staged)
  [ "${WITH_TRT:-1}" = 0 ] || ls /tmp/trt/lib/libnvinfer.so.10 || { echo "no TensorRT in /tmp/trt/lib"; exit 1; }
  [ -x $JAVA ] || tar -xJf .device/jre.tar.xz -C /tmp
  [ -f /tmp/jni/0.35.1-libdjl_torch.so ] || { bash -c "$JNI_BUILD" > /tmp/go/jni-build.log 2>&1 & jpid=$!; }
  export PYTHONUNBUFFERED=1
  [ -f /tmp/models/resnet50/resnet50$( [ "${WITH_TRT:-1}" = 0 ] && echo -fp16.pt || echo .onnx ) ] || (time python3 tools/export_models.py --models resnet50 --formats fp32,fp16$( [ "${WITH_TRT:-1}" = 0 ] || echo ,onnx ) --out /tmp/models) 2>&1 | tail -6
  ls -la /tmp/models/resnet50
  pids=""
  for b in $( [ "${WITH_TRT:-1}" = 0 ] || echo 1 16 128 ); do
    ( time timeout -k 10 400 $JAVA -Djmh.ignoreLock=true -Dgpuenergy.energy=off "${PROPS[@]}" -jar .device/benchmarks.jar \
      InferenceBenchmark.infer -p model=resnet50 -p engine=tensorrt-fp16 -p batchSize=$b -wi 0 -i 1 -r 1s ) > /tmp/go/build-$b.log 2>&1 &
    pids="$pids $!"
  done
  for p in $pids ${jpid:-}; do wait $p; done
  for b in $( [ "${WITH_TRT:-1}" = 0 ] || echo 1 16 128 ); do echo "-- engine batch $b"; grep -E "tensorrt|engine|Error|error|real|infer " /tmp/go/build-$b.log | tail -6; done
  tail -5 /tmp/go/jni-build.log 2>/dev/null
  ls -la /tmp/trt-engines /tmp/jni
  [ -f /tmp/jni/0.35.1-libdjl_torch.so ] && touch /tmp/go/prep.done || { echo "prep incomplete: no JNI"; exit 1; }
  date -u +%H:%M:%S
fi
set --; . tools/gpu-env.sh /tmp/jni/0.35.1-libdjl_torch.so
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
[ -n "${REBUILD_CHECK:-}" ] && step rebuild 200 bash "$REBUILD_CHECK"
for r in $(seq 1 8); do b1_16 $r; b128 $r; done
echo "=== all done $(date -u +%H:%M:%S)"
