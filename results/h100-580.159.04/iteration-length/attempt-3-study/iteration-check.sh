#!/usr/bin/env bash
# Issue 7, before the study goes on: are 1 s iterations biased away from the paper's 10 s runs? The study's first
# calls (study/README.md) read ViT-B FP32 batch 128 at 710 W with 1 s iterations, above the 700 W limit, where
# Python's 10 s window read 697 W. One device call: three models at batch 128, each with 10 x 1 s, 5 x 2 s and
# 2 x 10 s iterations (same warm-up), then the Python eager reference (10 s windows) on the same three.
#   JAVA=... JAR=... JNI=... OUT=... bash results/h100-580.159.04/iteration-length/attempt-3-study/iteration-check.sh
# Compare energy.J/img (end steps split with the idle power), energy.interior-J/img (steps wholly inside the
# window) and energy.naive-J/img across iteration lengths and against Python; traces/ holds every sample and window
# of each run (profiler option trace=DIR) for offline re-analysis.
set -uo pipefail
. tools/gpu-env.sh "$JNI" || exit 1
export GPUENERGY_MODELS=/tmp/models PYTHONUNBUFFERED=1
python3 tools/export_models.py --models resnet50,vit_base_patch16_224 --formats fp32,fp16 --out "$GPUENERGY_MODELS" 2>&1 \
  | grep -v Warning | tee "$OUT/export.log"
run() {  # $1 = label, $2 = iterations, $3 = iteration time
  for cfg in "resnet50 pytorch-fp16" "resnet50 pytorch-fp32" "vit_base_patch16_224 pytorch-fp32"; do
    set -- "$1" "$2" "$3" $cfg
    timeout 120 "$JAVA" -jar "$JAR" -p model="$4" -p engine="$5" -p batchSize=128 -f 1 -wi 2 -w 1s -i "$2" -r "$3" \
      -prof "energy:idle=2;settle=4;verbose=true;trace=$OUT/traces" -rf json -rff "$OUT/$1-$4-$5.json" > "$OUT/$1-$4-$5.log" 2>&1
    grep -E "energy.(J|interior-J|naive-J)/img|energy.avg-W" "$OUT/$1-$4-$5.log" | tail -4
  done
}
run i10x1s 10 1s
run i5x2s 5 2s
run i2x10s 2 10s
timeout 120 python3 results/h100-580.159.04/python_eager_reference.py --models resnet50,vit_base_patch16_224 --batches 128 \
  --precisions fp32,fp16 --seconds 10 --out "$OUT/python-eager.json" 2>&1 | grep -v Warning
python3 results/h100-580.159.04/iteration-length/attempt-3-study/table.py "$OUT" | tee "$OUT/table.md"
python3 results/h100-580.159.04/iteration-length/attempt-3-study/methods.py "$OUT"/traces/*.csv > "$OUT/methods.md"
cd "$OUT" && tar czf runs.tgz *.json *.log traces && rm -rf i*.json i*.log traces
