#!/usr/bin/env bash
# PyTorch at batch 128 with the default sampler, and where its cost at pytorch-fp16 comes from: JRE, the DJL JNI built
# here (JNI_BUILD), resnet50 fp32+fp16 exports; then
#   b128-fp16: pytorch-fp16 at batch 128: no profiler, lean, ends (the default), quiet (no NVML read inside a window),
#              6 rounds of 2 + 5 x 1 s: whether the sixth call's 0.6-0.8 % goes with ends' reads inside the window;
#   b128-fp32: pytorch-fp32 at batch 128: no profiler, lean, ends, 5 rounds of 2 + 5 x 1 s;
#   pt-b16: pytorch-fp32/fp16 at batch 16: no profiler, ends, 5 rounds of 2 + 8 x 1 s, in the time left.
# Packed into $OUT/go.tgz. Repeat while the machine stays warm: the overhead commands resume their --out.
# usage: copy this to .device/kit/pt.sh and, with results/ and the embedded models moved out of the tree (64 MiB per
# call), from the repository root: JNI_BUILD=<command> OUT=$OUT bash .device/kit/pt.sh SECONDS
set -u
budget=${1:-570}; t0=$SECONDS
left() { echo $(( budget - (SECONDS - t0) - 10 )); }
mkdir -p /tmp/go /tmp/overhead
exec > >(tee -a /tmp/go/go.log) 2>&1
echo "=== pt $(date -u +%Y%m%dT%H%M%SZ) budget $budget"
trap 'tar -C /tmp -czf "$OUT/go.tgz" go overhead $(cd /tmp; ls jni-build.log 2>/dev/null); echo "packed $(date -u +%H:%M:%S)"' EXIT
nvidia-smi --query-gpu=name,uuid,driver_version,power.limit,temperature.gpu,clocks.sm --format=csv
[ -x /tmp/jre/bin/java ] || tar -xJf .device/jre.tar.xz -C /tmp
[ -f /tmp/jni/0.35.1-libdjl_torch.so ] || { bash -c "$JNI_BUILD" > /tmp/jni-build.log 2>&1 & jpid=$!; }
export PYTHONUNBUFFERED=1
[ -f /tmp/models/resnet50/resnet50-fp16.pt ] || (time python3 tools/export_models.py --models resnet50 --formats fp32,fp16 --out /tmp/models) 2>&1 | tail -4
[ -n "${jpid:-}" ] && wait $jpid; tail -3 /tmp/jni-build.log
set --; . tools/gpu-env.sh /tmp/jni/0.35.1-libdjl_torch.so || exit 1
J=(/tmp/jre/bin/java -Dgpuenergy.models=/tmp/models -jar .device/benchmarks.jar overhead -p model=resnet50)
OFF=(--variant off=); LEAN=(--variant "lean=energy:sampling=lean;settle=5"); ENDS=(--variant "ends=energy:sampling=ends;settle=5")
QUIET=(--variant "quiet=energy:sampling=quiet;settle=5")
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
step b128-fp16 60 -p engine=pytorch-fp16 -p batchSize=128 "${OFF[@]}" "${LEAN[@]}" "${ENDS[@]}" "${QUIET[@]}" \
  --rounds 6 -wi 2 -w 1s -i 5 -r 1s --out /tmp/overhead/b128-fp16
step b128-fp32 60 -p engine=pytorch-fp32 -p batchSize=128 "${OFF[@]}" "${LEAN[@]}" "${ENDS[@]}" \
  --rounds 5 -wi 2 -w 1s -i 5 -r 1s --out /tmp/overhead/b128-fp32
step pt-b16 60 -p engine=pytorch-fp32,pytorch-fp16 -p batchSize=16 "${OFF[@]}" "${ENDS[@]}" \
  --rounds 5 -wi 2 -w 1s -i 8 -r 1s --out /tmp/overhead/pt-b16
echo "=== all done $(date -u +%H:%M:%S)"
