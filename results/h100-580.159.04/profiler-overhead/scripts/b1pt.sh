#!/usr/bin/env bash
# Issue 19 item 1 at launch-bound batch sizes, PyTorch only (no TensorRT staging): the default sampler (ends) against no
# sampler inside the same runs (energy:interleave=true: measured windows in ABBA blocks, sat out, sampled, sampled, sat
# out) for ResNet-50, 16 measured 1 s windows a run. Before that, once: JRE, the DJL JNI for this libtorch ($JNI_BUILD),
# resnet50 exports (fp32, fp16).
# Per round r: b1 (${ENGINES:-pytorch-fp32,pytorch-fp16}; ENGINES=none skips it) then, unless B16=0, b16
# (${B16_ENGINES:-pytorch-fp16}), each its own --out with --rounds r; repeat the call while warm. B1_MIN, B16_MIN:
# seconds a round needs (default 65, 40). CONT=1 adds to b1 a second
# variant in the same rounds, continuous (the counter at 500 Hz throughout the sampled windows), interleaved likewise.
# usage: ENGINES=...|none B16=0|1 [B16_ENGINES=...] B1_MIN=N [B16_MIN=N] [CONT=1] JNI_BUILD=<command> OUT=$OUT bash .device/kit/b1pt.sh 550
set -u
budget=${1:-550}; t0=$SECONDS
left() { echo $(( budget - (SECONDS - t0) - 20 )); }
mkdir -p /tmp/go /tmp/overhead
exec > >(tee -a /tmp/go/go.log) 2>&1
echo "=== b1pt $(date -u +%Y%m%dT%H%M%SZ) budget $budget engines ${ENGINES:-pytorch-fp32,pytorch-fp16} b16 ${B16:-1} ${B16_ENGINES:-pytorch-fp16} cont ${CONT:-0}"
pack() { tar -C /tmp -czf "$OUT/go.tgz" go overhead $( [ -f /tmp/go/jni-build.log ] || cp /tmp/jni-build.log /tmp/go/ 2>/dev/null ); echo "packed $(date -u +%H:%M:%S)"; }
trap pack EXIT
if [ ! -f /tmp/go/prep.done ]; then
  date -u +%Y%m%dT%H%M%SZ
  nvidia-smi --query-gpu=name,uuid,driver_version,power.limit,temperature.gpu,clocks.sm --format=csv
  lscpu | grep -E 'Model name|^CPU\(s\)|NUMA node\(s\)|Thread|MHz' ; nproc; uptime
  [ -x /tmp/jre/bin/java ] || tar -xJf .device/jre.tar.xz -C /tmp
  [ -f /tmp/jni/0.35.1-libdjl_torch.so ] || { bash -c "$JNI_BUILD" > /tmp/jni-build.log 2>&1 & jpid=$!; }
  export PYTHONUNBUFFERED=1
  [ -f /tmp/models/resnet50/resnet50-fp16.pt ] || (time python3 tools/export_models.py --models resnet50 --formats fp32,fp16 --out /tmp/models) 2>&1 | tail -6
  ls -la /tmp/models/resnet50
  [ -n "${jpid:-}" ] && wait $jpid
  cp /tmp/jni-build.log /tmp/go/ 2>/dev/null; cat /tmp/jni-build.log 2>/dev/null | tail -20
  [ -f /tmp/jni/0.35.1-libdjl_torch.so ] && touch /tmp/go/prep.done || { echo "prep incomplete: no JNI"; exit 1; }
  date -u +%H:%M:%S
fi
JAVA=/tmp/jre/bin/java; set --; . tools/gpu-env.sh /tmp/jni/0.35.1-libdjl_torch.so
J=($JAVA -Dgpuenergy.models=/tmp/models -jar .device/benchmarks.jar overhead -p model=resnet50)
ENDS="ends=energy:interleave=true;verbose=true;settle=5"
B1V=(--variant "$ENDS")
[ "${CONT:-0}" = 1 ] && B1V+=(--variant "continuous=energy:interleave=true;sampling=continuous;verbose=true;settle=5")
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
b1() { [ "${ENGINES:-}" = none ] && return 0; step b1-r$1 ${B1_MIN:-65} "${J[@]}" -p engine=${ENGINES:-pytorch-fp32,pytorch-fp16} -p batchSize=1 "${B1V[@]}" \
  --rounds $1 "${RUN[@]}" --out /tmp/overhead/b1; }
b16() { [ "${B16:-1}" = 0 ] && return 0; step b16-r$1 ${B16_MIN:-40} "${J[@]}" -p engine=${B16_ENGINES:-pytorch-fp16} -p batchSize=16 --variant "$ENDS" \
  --rounds $1 "${RUN[@]}" --out /tmp/overhead/b16; }
for r in $(seq 1 60); do b1 $r; b16 $r; done
echo "=== all done $(date -u +%H:%M:%S)"
