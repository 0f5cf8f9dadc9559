#!/usr/bin/env bash
# The GPU check of the busy figures added in session 7 without a GPU (run first in session 8, from the repository
# root, with JAVA, JAR, JNI and OUT set as for study.sh): the profiler's energy.gpu-busy-% (NVML's utilization
# samples, docs/energy-method.md) and the Python references' gpu_busy_pct (the same arithmetic), beside the
# kernel-time busy the validation has used so far (gpu_kernel_ms_per_batch x batches/s). swin_tiny at batch 16 and
# 128, both precisions: where the suite trails Python running its own artifact (the study README's third kind of
# miss), a measured busy tells idle waits (low) from slower kernels (high). Results go to $OUT only, not into sweep/.
set -uo pipefail
. tools/gpu-env.sh "$JNI" || exit 1
export GPUENERGY_MODELS=/tmp/models PYTHONUNBUFFERED=1
m=${MODEL:-swin_tiny_patch4_window7_224}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
[ -f "$GPUENERGY_MODELS/$m/$m-fp16.pt" ] && [ -f "$GPUENERGY_MODELS/$m/$m-fp32.pt" ] || python3 tools/export_models.py \
  --models "$m" --formats fp32,fp16 --out "$GPUENERGY_MODELS" 2>&1 | grep -v Warning | tee "$OUT/busy-export-$stamp.log"
# What a sample is: 2 s idle, 2 s of back-to-back matmuls, 2 s idle, then the driver's whole buffer printed against
# the load's start and end in the clock its newest sample fits: the period, its alignment (does a sample cover the
# time before its stamp?) and the clock, which the arithmetic assumes.
timeout 60 python3 - > "$OUT/busy-samples-$stamp.txt" 2>&1 <<'PY'
import time, torch, pynvml as nvml
nvml.nvmlInit(); h = nvml.nvmlDeviceGetHandleByIndex(0)
now = lambda: dict(epoch=time.time() * 1e6, boot=time.clock_gettime(time.CLOCK_BOOTTIME) * 1e6)
a = torch.randn(8192, 8192, device="cuda"); a @ a; torch.cuda.synchronize()
time.sleep(2); t0 = now(); end = time.perf_counter() + 2
while time.perf_counter() < end:
    a @ a
torch.cuda.synchronize(); t1 = now(); time.sleep(2)
_, raw = nvml.nvmlDeviceGetSamples(h, 1, 0)
s = sorted((x.timeStamp, x.sampleValue.uiVal) for x in raw); n = now()
for c in n:
    print(f"clock {c}: the newest of {len(s)} samples is {(n[c] - s[-1][0]) / 1e6:.3f} s old")
c = min(n, key=lambda k: abs(n[k] - s[-1][0]))
for t, v in s:
    if t0[c] - 3e6 <= t <= t1[c] + 3e6:
        print(f"{(t - t0[c]) / 1e3:9.1f} ms after the load's start, {(t - t1[c]) / 1e3:9.1f} after its end: {v} %")
PY
echo "samples exit $?"; head -5 "$OUT/busy-samples-$stamp.txt"
# the study's protocol as plain JMH options (10 x 1 s after 2 x 1 s warm-up, one fork); verbose prints each window's
# busy, coverage, sample count and clock
timeout -k 5 240 "$JAVA" -jar "$JAR" -p model="$m" -p engine=pytorch-fp32,pytorch-fp16 -p batchSize=16,128 \
  -f 1 -wi 2 -w 1s -i 10 -r 1s -prof "energy:idle=2;settle=4;verbose=true" -rf json -rff "$OUT/busy-suite-$stamp.json" \
  > "$OUT/busy-suite-$stamp.log" 2>&1
echo "suite exit $?"; pkill -9 -f org.openjdk.jmh.runner.ForkedMain  # a fork left by the timeout would load the GPU
grep -E "^gpu energy: (busy|WARNING)|^# Parameters" "$OUT/busy-suite-$stamp.log" | head -80
for kind in eager torchscript; do
  extra=(); [ "$kind" = torchscript ] && extra=(--torchscript "$GPUENERGY_MODELS")
  timeout 300 python3 results/h100-580.159.04/python_eager_reference.py --models "$m" --batches 16,128 \
    --precisions fp32,fp16 --seconds 10 "${extra[@]}" --out "$OUT/busy-$kind-$stamp.json" 2>&1 | grep -v Warning \
    | tee -a "$OUT/busy-python-$stamp.log"
done
python3 - "$OUT" "$stamp" <<'PY' | tee "$OUT/busy-summary-$stamp.txt"
import json, sys
out, stamp = sys.argv[1], sys.argv[2]
try:
    suite = json.load(open(f"{out}/busy-suite-{stamp}.json"))
except (OSError, ValueError) as e:
    suite = []; print("no suite result (its log's busy lines above):", e)
num = lambda v: float(v) if v is not None else float("nan")  # JMH writes NaN as the string "NaN"
ts = {}
for kind in ("eager", "torchscript"):
    try:
        rows = json.load(open(f"{out}/busy-{kind}-{stamp}.json"))["results"]
    except (OSError, ValueError) as e:
        print(kind, "no result:", e); continue
    for r in rows:
        if "error" in r:
            print(kind, r); continue
        ms = r.get("gpu_kernel_ms_per_batch")
        kb = ms / 1000 * r["img_per_s"] / r["batch"] * 100 if ms else float("nan")
        if kind == "torchscript":
            ts[(r["precision"], r["batch"])] = ms
        print(f"{kind:11s} {r['precision']} b{r['batch']}: {r['img_per_s']:.0f} img/s, {r['j_per_img']:.4g} J/img, "
              f"busy nvml {num(r.get('gpu_busy_pct')):.1f} % (coverage {num(r.get('gpu_busy_coverage')):.2f}), "
              f"kernel-time {kb:.1f} %")
for e in suite:
    p, sm = e["params"], e["secondaryMetrics"]
    prec, b = p["engine"].split("-")[-1], int(p["batchSize"])
    ips = e["primaryMetric"]["score"] * b
    ms = ts.get((prec, b))
    est = ms / 1000 * ips / b * 100 if ms else float("nan")
    busy = num(sm.get("energy.gpu-busy-%", {}).get("score"))
    jpi = num(sm.get("energy.J/img", {}).get("score"))
    print(f"suite       {prec} b{b}: {ips:.0f} img/s, {jpi:.4g} J/img, busy nvml {busy:.1f} %, "
          f"estimate from TorchScript kernel time {est:.1f} %")
PY
ls -la "$OUT"
