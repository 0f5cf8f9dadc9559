#!/usr/bin/env bash
# Issue 7: why J/img's confidence interval is 4-20 % at launch-bound batch sizes (study/README.md). One device
# call, two launch-bound configurations (ResNet-50 FP16 batch 1, ResNet-50 FP32 batch 8), each run four ways:
#   none    : no profiler, 10 x 1 s            (the host-side jitter alone)
#   hz500   : -prof energy (sampler at 500 Hz, the default), 10 x 1 s   (the study's protocol)
#   hz50    : -prof energy:hz=50, 10 x 1 s     (does NVML polling at 500 Hz slow the launches?)
#   hz500x3s: -prof energy, 10 x 3 s           (do longer iterations narrow the interval?)
# then, with what is left of DEADLINE (default 570 s), the study's sweep (study/study.sh with MODELS etc. as given).
#   MODELS=... PY_MODELS=... MIN_BATCH=64 JAVA=... JAR=... JNI=... OUT=... bash results/h100-580.159.04/iteration-length/attempt-4-small-batch/small-batch-check.sh
set -uo pipefail
here=results/h100-580.159.04/iteration-length/attempt-4-small-batch
. tools/gpu-env.sh "$JNI" || exit 1
export GPUENERGY_MODELS=/tmp/models PYTHONUNBUFFERED=1
python3 tools/export_models.py --models resnet50 --formats fp32,fp16 --out "$GPUENERGY_MODELS" 2>&1 | grep -v Warning
mkdir -p "$OUT/small"
for cfg in "pytorch-fp16 1" "pytorch-fp32 8"; do
  set -- $cfg
  for v in none hz500 hz50 hz500x3s; do
    case $v in
      none) prof=(); r=1s ;;
      hz500) prof=(-prof "energy:idle=2;settle=4"); r=1s ;;
      hz50) prof=(-prof "energy:idle=2;settle=4;hz=50"); r=1s ;;
      hz500x3s) prof=(-prof "energy:idle=2;settle=4"); r=3s ;;
    esac
    timeout 90 "$JAVA" -jar "$JAR" -p model=resnet50 -p engine=$1 -p batchSize=$2 -f 1 -wi 2 -w 1s -i 10 -r $r "${prof[@]}" \
      -rf json -rff "$OUT/small/$v-$1-b$2.json" > "$OUT/small/$v-$1-b$2.log" 2>&1
    echo "$v $1 b$2 exit $?"
  done
done
python3 "$here/table.py" "$OUT"/small/*.json | tee "$OUT/small-table.md"
(cd "$OUT" && tar czf small.tgz small && rm -rf small)
DEADLINE=$(( ${DEADLINE:-570} - SECONDS )) bash results/h100-580.159.04/study/study.sh
