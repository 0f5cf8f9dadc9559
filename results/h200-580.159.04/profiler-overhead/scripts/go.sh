#!/usr/bin/env bash
# One call does what is left, in order, within SECONDS, and packs everything so far into $OUT/go.tgz:
#   prep (JRE, JNI, exports, 3 TensorRT engines), overhead b128, b1, b16 (off / lean / continuous, 3 engines),
#   jitter (NVML field cost, controls, b4 fp16 continuous / lean).
# Repeat the same call while the machine stays warm; the overhead command resumes its --out.
# usage (repo root, after the 10 TensorRT parts): OUT=$OUT bash .device/go.sh 570
set -u
budget=${1:-570}; t0=$SECONDS
left() { echo $(( budget - (SECONDS - t0) - 20 )); }
mkdir -p /tmp/go /tmp/overhead /tmp/jitter
exec > >(tee -a /tmp/go/go.log) 2>&1
echo "=== go $(date -u +%Y%m%dT%H%M%SZ) budget $budget"
pack() { tar -C /tmp -czf "$OUT/go.tgz" go overhead jitter $( [ -f /tmp/prep.log ] && echo prep.log ); echo "packed $(date -u +%H:%M:%S)"; }
trap pack EXIT
if [ ! -f /tmp/go/prep.done ]; then
  OUT=/tmp bash .device/prep.sh
  n=$(ls /tmp/trt-engines 2>/dev/null | grep -c '\.engine$')
  echo "engines in cache: $n"; ls -la /tmp/trt-engines
  [ "$n" -ge 3 ] && touch /tmp/go/prep.done || { echo "prep incomplete"; exit 1; }
fi
JAVA=/tmp/jre/bin/java; . tools/gpu-env.sh
J=($JAVA -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines
   -jar .device/benchmarks.jar overhead -p model=resnet50)
V=(--variant off= --variant "lean=energy:sampling=lean;settle=5" --variant "continuous=energy:sampling=continuous;settle=5"
   --rounds 2 -wi 2 -w 1s -i 8 -r 1s)
for b in 128 1 16; do
  [ -f /tmp/go/b$b.done ] && continue
  l=$(left); [ "$l" -lt 40 ] && { echo "no time for b$b"; exit 0; }
  nvidia-smi --query-gpu=name,uuid,temperature.gpu,clocks.sm,power.draw --format=csv,noheader
  echo "--- b$b, $l s left $(date -u +%H:%M:%S)"
  timeout -k 5 "$l" "${J[@]}" -p engine=pytorch-fp32,pytorch-fp16,tensorrt-fp16 -p batchSize=$b "${V[@]}" --out /tmp/overhead/b$b
  rc=$?; echo "b$b exit $rc $(date -u +%H:%M:%S)"
  [ $rc -eq 124 ] || [ $rc -eq 137 ] && exit 0
  touch /tmp/go/b$b.done
done
if [ ! -f /tmp/go/controls.done ]; then
  l=$(left); [ "$l" -lt 90 ] && { echo "no time for controls"; exit 0; }
  python3 .device/nvml_energy_fields.py | tee /tmp/jitter/nvml-timing.jsonl
  timeout -k 5 "$l" python3 .device/jitter_controls.py /tmp/models 15 | tee /tmp/jitter/controls.jsonl
  touch /tmp/go/controls.done
fi
if [ ! -f /tmp/go/b4.done ]; then
  l=$(left); [ "$l" -lt 40 ] && { echo "no time for b4"; exit 0; }
  echo "--- b4, $l s left $(date -u +%H:%M:%S)"
  timeout -k 5 "$l" "${J[@]}" -p engine=pytorch-fp16 -p batchSize=4 \
    --variant "continuous=energy:sampling=continuous;settle=5" --variant "lean=energy:sampling=lean;settle=5" \
    --rounds 2 -wi 2 -w 1s -i 8 -r 1s --out /tmp/jitter/b4
  rc=$?; echo "b4 exit $rc"
  [ $rc -eq 124 ] || [ $rc -eq 137 ] && exit 0
  touch /tmp/go/b4.done
fi
echo "=== all done $(date -u +%H:%M:%S)"
