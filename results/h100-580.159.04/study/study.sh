#!/usr/bin/env bash
# Issue 7, the H100 study, one device call of several. In one call of at most DEADLINE seconds (default 570):
#  1. exports MODELS' fp32 and fp16 TorchScript (unless this machine still has them from an earlier call);
#  2. the Python eager reference on PY_MODELS (default MODELS; empty = none) at batch 16 and 128 (PY_BATCHES), both
#     precisions, 10 s windows (a model swept over two calls gets its reference in one of them); and, at the same
#     batches (batch 16 only until session 3), the same script running the suite's own TorchScript artifacts
#     (--torchscript): where the suite and eager differ at a launch-bound batch (small models stay launch-bound
#     at 128 in eager), this says whether Python's dispatch is the difference;
#  3. sweeps MODELS with pytorch-fp32 and pytorch-fp16 over batch 1, 2, 4, ... until out of memory (capped at
#     8192), continuing the sweep committed in study/sweep/ (--resume: a configuration already measured is never
#     run again), until the deadline, then hands the sweep directory back whole ($OUT/sweep.tgz).
#   MODELS=a,b PY_MODELS=a JAVA=... JAR=... JNI=... OUT=... bash results/h100-580.159.04/study/study.sh
# Each measured run: 10 iterations of >= 1 s and >= 2 batches (>= 10 s and >= 20 batches in all, the paper's
# >= 10 s and >= 13 batches), after 2 warm-up iterations of 1 s. PROTOCOL overrides those sweep options (then
# give a fresh SWEEP_DIR: one sweep directory, one protocol); MIN_BATCH=64 starts each ladder at 64 (a later call
# without it fills in 1..32: --resume keeps what is done); MAX_BATCH lowers the cap of 8192 (for a model whose
# largest batches would outlast a call; ENGINES=pytorch-fp32 sweeps one engine, so each gets its own cap), e.g.
#   PROTOCOL="--min-seconds 2 --min-batches 3 -f 1 -wi 2 -w 1s -i 5" SWEEP_DIR=sweep-2s
set -uo pipefail
here=results/h100-580.159.04/study
# The device hands back at most 8 entries of $OUT (a call that also ran something else lost its sweep that way):
# over 8, everything but the sweep goes into one archive. On every exit: a second study.sh in one device command
# that stops early ("no sweep in this call") still adds its files, and so lost the first one's sweep.tgz once.
bundle() {
  [ "$(ls "$OUT" | wc -l)" -gt 8 ] || return 0
  (cd "$OUT" && { [ ! -f call-files.tgz ] || { tar xzf call-files.tgz && rm call-files.tgz; }; } \
    && tar czf call-files.tgz.new --exclude sweep.tgz --exclude call-files.tgz.new -- * \
    && find . -mindepth 1 -maxdepth 1 ! -name sweep.tgz ! -name call-files.tgz.new -exec rm -rf {} + \
    && mv call-files.tgz.new call-files.tgz)
}
trap bundle EXIT
stamp=$(date -u +%Y%m%dT%H%M%SZ)
. tools/gpu-env.sh "$JNI" || exit 1
export GPUENERGY_MODELS=/tmp/models PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,temperature.gpu,power.draw --format=csv | tee "$OUT/gpu-$stamp.txt"
for m in ${MODELS//,/ }; do
  missing=""  # both formats in one exporter run: torch's start and the model's creation once (~28 s a run)
  for f in fp32 fp16; do [ -f "$GPUENERGY_MODELS/$m/$m-$f.pt" ] || missing="$missing,$f"; done
  [ -z "$missing" ] || python3 tools/export_models.py --models "$m" --formats "${missing#,}" --out "$GPUENERGY_MODELS" 2>&1 | grep -v Warning
done | tee "$OUT/export-$stamp.log"
py=${PY_MODELS-$MODELS}
# PY_BATCHES=16: the references of a call that measures batch 16 only (its batch 128 came earlier, on another board)
pyb=${PY_BATCHES:-16,128}
# per model and invocation: a window of 10 s per precision and batch, each with its warm-up and the profiled
# window after it (gpu_kernel_ms_per_batch), plus torch's import and the model's creation
pyt=$(( 40 + 60 * $(echo "$pyb" | tr , '\n' | grep -c .) * $(echo "$py" | tr , '\n' | grep -c .) ))
[ -z "$py" ] || timeout $pyt python3 results/h100-580.159.04/python_eager_reference.py --models "$py" --batches "$pyb" \
  --precisions fp32,fp16 --seconds 10 --out "$OUT/python-eager-$stamp.json" 2>&1 | grep -v Warning | tee -a "$OUT/python-$stamp.log"
[ -z "$py" ] || timeout $pyt python3 results/h100-580.159.04/python_eager_reference.py --models "$py" --batches "$pyb" \
  --precisions fp32,fp16 --seconds 10 --torchscript "$GPUENERGY_MODELS" --out "$OUT/python-torchscript-$stamp.json" 2>&1 | grep -v Warning | tee -a "$OUT/python-$stamp.log"
left=$(( ${DEADLINE:-570} - SECONDS - 15 ))
if [ "$left" -lt 60 ]; then echo "only $left s left before the deadline: no sweep in this call"; exit 0; fi
# --stop-after: the sweep starts no configuration predicted to end after the deadline (a killed one is lost and
# would be killed again next call); timeout stays as the backstop for a prediction that is wrong. The 25 s margin:
# the prediction replayed by hand on sweep/ (ViT-B FP32: batch 4096 took 118.5 s at 1,230 img/s) gives ~205 s for
# batch 8192, which took 227 s.
echo "sweeping for $left s"
sweep=$here/${SWEEP_DIR:-sweep}
mkdir -p "$sweep"
# A warm machine keeps /tmp between calls: where its copy of the sweep has more runs than the tree this call
# brought (the last call's sweep.tgz not unpacked into the tree yet), the sweep continues from that copy.
keep=/tmp/study-${SWEEP_DIR:-sweep}
if [ "$(cat "$keep/sweep.jsonl" 2>/dev/null | wc -l)" -gt "$(cat "$sweep/sweep.jsonl" 2>/dev/null | wc -l)" ]; then
  echo "continuing from this machine's copy of the sweep ($keep)"; rm -rf "$sweep" && cp -r "$keep" "$sweep"
fi
timeout -k 5 "$left" "$JAVA" -jar "$JAR" sweep -p model="$MODELS" -p engine=${ENGINES:-pytorch-fp32,pytorch-fp16} \
  --max-batch ${MAX_BATCH:-8192} ${MIN_BATCH:+--min-batch $MIN_BATCH} ${PROTOCOL:---min-seconds 1 --min-batches 2 -f 1 -wi 2 -w 1s -i 10} -prof "energy:idle=2;settle=4" \
  --stop-after $(( left - 25 )) --out "$sweep" --resume > "$OUT/sweep-$stamp.log" 2>&1
echo "sweep exit $?"; pkill -9 -f org.openjdk.jmh.runner.ForkedMain
rm -rf "$keep" && cp -r "$sweep" "$keep"
tar czf "$OUT/sweep.tgz" -C "$here" "${SWEEP_DIR:-sweep}"
grep -E "^\[sweep\].*(J/img|did not fit|failed|stopping)" "$OUT/sweep-$stamp.log" | cut -c1-160 | tail -30
