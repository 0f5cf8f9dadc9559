#!/usr/bin/env bash
# One call does what is left, in order, within SECONDS, and packs everything so far into $OUT/go.tgz:
#   prep (JRE, JNI, exports, TensorRT engines for batch 1 and 16);
#   modes-b16: tensorrt-fp16 batch 16: no profiler, lean, ends (no counter read inside a window), quiet (no read at
#     all inside), and no profiler beside a second process making lean's NVML reads (nvml_load.py lean) or only its
#     counter reads (counter13), 8 rounds of 2 + 8 x 1 s;
#   modes-b1: batch 1: no profiler, lean, quiet, up to 8 rounds of 1 + 4 x 1 s.
# Repeat the same call while the machine stays warm; the overhead commands resume their --out.
# usage (repo root, after the 10 TensorRT parts): OUT=$OUT bash .device/kit/go.sh 570
set -u
budget=${1:-570}; t0=$SECONDS
left() { echo $(( budget - (SECONDS - t0) - 20 )); }
mkdir -p /tmp/go /tmp/overhead /tmp/jitter
exec > >(tee -a /tmp/go/go.log) 2>&1
echo "=== go $(date -u +%Y%m%dT%H%M%SZ) budget $budget"
pack() { tar -C /tmp -czf "$OUT/go.tgz" go overhead jitter $( [ -f /tmp/prep.log ] && echo prep.log ); echo "packed $(date -u +%H:%M:%S)"; }
trap pack EXIT
if [ ! -f /tmp/go/prep.done ]; then
  ENGINE_BATCHES='1 16' OUT=/tmp bash .device/kit/prep.sh
  n=$(ls /tmp/trt-engines 2>/dev/null | grep -c '\.engine$')
  echo "engines in cache: $n"; ls -la /tmp/trt-engines
  [ "$n" -ge 2 ] && touch /tmp/go/prep.done || { echo "prep incomplete"; exit 1; }
fi
JAVA=/tmp/jre/bin/java; set --; . tools/gpu-env.sh
# pinned: four CPUs on four distinct cores (no hyperthread siblings among them), cpu0 (interrupts) left out
lscpu -e 2>/dev/null | head -20
cpus=$(for c in /sys/devices/system/cpu/cpu[0-9]*; do n=${c##*cpu}; s=$(cut -d, -f1 < $c/topology/thread_siblings_list | cut -d- -f1)
  [ "$n" = "$s" ] && [ "$n" != 0 ] && echo $n; done | sort -n | head -4 | paste -sd,)
echo "pinned CPUs: ${cpus:=4,5,6,7}"
printf '#!/bin/sh\nexec taskset -c %s %s "$@"\n' "$cpus" "$JAVA" > /tmp/pinned-java; chmod +x /tmp/pinned-java
J=($JAVA -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines
   -jar .device/benchmarks.jar overhead -p model=resnet50)
LEAN="lean=energy:sampling=lean;settle=5"
PROFS="-prof sched:probe=true -prof gc -prof comp -prof energy:settle=5"
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
OFFLEAN=(--variant off= --variant "$LEAN")
# -jvm wrappers: java with nvml_load.py KIND running beside it for the fork's life
cp .device/kit/nvml_load.py /tmp/nvml_load.py
for kind in lean counter counter13 ticks procs20; do
  printf '#!/bin/sh\npython3 %s %s 2>>/tmp/go/nvml-load.log & p=$!\n%s "$@"; rc=$?\nkill $p; wait $p\nexit $rc\n' \
    /tmp/nvml_load.py "$kind" "$JAVA" > /tmp/java-load-$kind; chmod +x /tmp/java-load-$kind
done
timeout 3 python3 /tmp/nvml_load.py lean  # its one line: the reads it makes in 3 s
ENDS="ends=energy:sampling=ends;settle=5"; QUIET="quiet=energy:sampling=quiet;settle=5"
step modes-b16 60 -p engine=tensorrt-fp16 -p batchSize=16 "${OFFLEAN[@]}" --variant "$ENDS" --variant "$QUIET" \
  --variant "side-lean=-jvm /tmp/java-load-lean" --variant "side-counter13=-jvm /tmp/java-load-counter13" \
  --rounds 8 -wi 2 -w 1s -i 8 -r 1s --out /tmp/overhead/modes-b16
step modes-b1 40 -p engine=tensorrt-fp16 -p batchSize=1 "${OFFLEAN[@]}" --variant "$QUIET" \
  --rounds 8 -wi 1 -w 1s -i 4 -r 1s --out /tmp/overhead/modes-b1
echo "=== all done $(date -u +%H:%M:%S)"
