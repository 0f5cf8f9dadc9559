#!/usr/bin/env python3
"""The figures the study README quotes from the raw JSON (the sweep's JMH results, the references), recomputed:
  python3 results/h100-580.159.04/study/analysis.py
1. JMH's 99.9 % interval of J/img relative to the score, by batch size;
2. the first measured iteration's power against the median of the other iterations (batch >= 64), the warmup-pause
   effect, and the same for opt-engines/run-3 (first against the mean of the other two);
3. suite vs the Python eager reference of the same call at batch 128 and 16, all iterations and iterations 2-10;
4. one benchmark on different boards: ResNet-50 FP32 at batch 128 (J/img) and batch 1 (batches/s) in every result
   file of this folder's parent, with the GPU UUID;
5. the work each best batch does per second: 2 x the catalog's GMACs per image x img/s, in TFLOP/s, next to the
   H100 SXM's dense peaks (FP32 67, TF32 494.7, FP16 989.4: gpuenergy.report.PeakFlops), lowest J/img per model and
   engine over every batch measured (of a configuration measured twice, the result the report plots);
6. session 8's same-board pairs with NVML busy on both sides (the suite's energy.gpu-busy-%, the references'
   gpu_busy_pct), and the busy check's swin_tiny: ratios, busy shares, GPU ms a batch (busy x seconds per batch) and
   idle ms a batch (the rest), suite / eager / TorchScript, and the suite's J/img CI rounded up as the report does;
7. NVML's busy share against the kernel-time one (gpu_kernel_ms_per_batch x batches/s) in every reference window
   that has both;
8. configurations measured twice: sweep/ against pre-fix/ (J/img change by batch) and against other-board/."""
import csv, glob, json, math, os, statistics

here = os.path.dirname(os.path.abspath(__file__))
runs = {}
for f in glob.glob(os.path.join(here, "sweep", "*-b*.json")):
    e = json.load(open(f))[0]
    runs[(e["params"]["model"], e["params"]["engine"], int(e["params"]["batchSize"]))] = e

print("1. J/img 99.9 % interval, % of the score")
for (m, eng, b), e in sorted(runs.items()):
    j = e["secondaryMetrics"]["energy.J/img"]
    print(f"   {m} {eng} b{b}: {100 * j['scoreError'] / j['score']:.2f} %")

print("2. first measured iteration's avg W / median of the others (batch >= 64)")
ratios = []
for (m, eng, b), e in sorted(runs.items()):
    if b >= 64:
        w = e["secondaryMetrics"]["energy.avg-W"]["rawData"][0]
        ratios.append(w[0] / statistics.median(w[1:]))
print(f"   {len(ratios)} runs: mean {statistics.mean(ratios):.4f}, max {max(ratios):.4f}")
# The profiler pauses after warm-up iterations since commit a1e0cf0 (2026-11-22 22:45 UTC): split the runs by the
# time sweep.jsonl gives each result, and compare power with throughput, since a launch-bound first iteration
# that runs faster also draws more (not an energy-method effect).
measured_at = {}
for line in open(os.path.join(here, "sweep", "sweep.jsonl")):
    r = json.loads(line)
    if r.get("status") == "done":
        measured_at[(r["model"], r["engine"], r["batchSize"])] = r["time"]
for label, after in (("before the pause fix", False), ("after it", True)):
    w1, t1 = [], []
    for key, e in sorted(runs.items()):
        if key[2] < 64 or (measured_at.get(key, "") >= "2026-11-22T22:45") != after:
            continue
        w = e["secondaryMetrics"]["energy.avg-W"]["rawData"][0]
        t = e["primaryMetric"]["rawData"][0]
        w1.append(w[0] / statistics.median(w[1:]))
        t1.append(t[0] / statistics.median(t[1:]))
    if w1:
        steady = [a for a, b in zip(w1, t1) if abs(b - 1) < 0.02]
        print(f"   {label}: {len(w1)} runs, first W / median {statistics.mean(w1):.4f} (first img/s / median "
              f"{statistics.mean(t1):.4f}); where the first iteration's img/s is within 2 % of the median: "
              f"{len(steady)} runs, W {statistics.mean(steady) if steady else float('nan'):.4f}")
r3 = json.load(open(os.path.join(here, "..", "opt-engines", "run-3", "opt-engines.json")))
r = [w[0] / statistics.mean(w[1:]) for w in (e["secondaryMetrics"]["energy.avg-W"]["rawData"][0] for e in r3)]
print(f"   opt-engines/run-3, first / mean of the other two: mean {statistics.mean(r):.4f}")

print("3. suite / Python eager (same call)")
for f in glob.glob(os.path.join(here, "calls", "*", "python-eager-*.json")):
    for p in json.load(open(f))["results"]:
        key = (p["model"], "pytorch-" + p["precision"], p["batch"])
        if "error" in p or key not in runs:
            continue
        e = runs[key]
        j = e["secondaryMetrics"]["energy.J/img"]["rawData"][0]
        w = e["secondaryMetrics"]["energy.avg-W"]["rawData"][0]
        print(f"   {key[0]} {key[1]} b{key[2]}: J/img {statistics.mean(j) / p['j_per_img']:.4f} (iterations 2-10: "
              f"{statistics.mean(j[1:]) / p['j_per_img']:.4f}); avg W suite {statistics.mean(w):.1f} "
              f"(2-10: {statistics.mean(w[1:]):.1f}), Python {p['avg_w']:.1f}")

print("4. ResNet-50 pytorch-fp32 across boards (every result file under results/h100-580.159.04/)")
for f in sorted(glob.glob(os.path.join(here, "..", "**", "*.json"), recursive=True)):
    try:
        entries = json.load(open(f))
    except (json.JSONDecodeError, UnicodeDecodeError):
        continue
    for e in entries if isinstance(entries, list) else []:
        p = e.get("params", {}) if isinstance(e, dict) else {}
        if p.get("model") == "resnet50" and p.get("engine") == "pytorch-fp32" and p.get("batchSize") in ("1", "128"):
            j = e["secondaryMetrics"].get("energy.J/img", {}).get("score", float("nan"))
            print(f"   b{p['batchSize']}: {e['primaryMetric']['score']:.1f} batches/s, {j:.4f} J/img, "
                  f"{e['environment']['gpu.uuid']}  {os.path.relpath(f, os.path.join(here, '..'))}")

print("5. best batch (lowest J/img): achieved TFLOP/s = 2 x GMACs x img/s (peaks: FP32 67, TF32 494.7, FP16 989.4)")
catalog = os.path.join(here, "..", "..", "..", "benchmarks", "src", "main", "resources", "catalog.csv")
gmacs = {r["name"]: float(r["gmacs"]) for r in csv.DictReader(open(catalog))}
# as the report plots them (report.sh): of a configuration measured twice, the other-board/ result, on the board of
# its ladder's neighbours; its re-measurement on its references' board serves the validation
plotted = {}
for f in glob.glob(os.path.join(here, "other-board", "*-b*.json")):
    e = json.load(open(f))[0]
    plotted[(e["params"]["model"], e["params"]["engine"], int(e["params"]["batchSize"]))] = e
for key, e in runs.items():
    plotted.setdefault(key, e)
best = {}
for (m, eng, b), e in plotted.items():
    j = e["secondaryMetrics"]["energy.J/img"]["score"]
    if (m, eng) not in best or j < best[(m, eng)][1]:
        best[(m, eng)] = (b, j, e["primaryMetric"]["score"] * b)
for m in gmacs:
    cells = []
    for eng in ("pytorch-fp32", "pytorch-fp16"):
        if (m, eng) in best:
            b, j, ips = best[(m, eng)]
            cells.append(f"{eng} b{b} {ips:.0f} img/s {2 * gmacs[m] * ips / 1000:.1f} TFLOP/s")
    print(f"   {m} ({gmacs[m]} GMACs): " + "; ".join(cells))

print("6. session 8: NVML busy on both sides (suite / eager / TorchScript); GPU and idle ms a batch")
def ci_up(metric):  # the report's rounding: the half-width rounded up to 0.1 %
    lo, hi = metric["scoreConfidence"]
    return math.ceil((hi - lo) / 2 / metric["score"] * 1000 - 1e-9) / 10
def pair_line(name, batch, suite, eager, ts):
    ips = suite["primaryMetric"]["score"] * batch
    sj = suite["secondaryMetrics"]["energy.J/img"]
    busy = suite["secondaryMetrics"]["energy.gpu-busy-%"]["score"]
    side = [(busy, ips)] + [(r["gpu_busy_pct"], r["img_per_s"]) for r in (eager, ts)]
    gpu = " / ".join(f"{b / 100 * batch / i * 1000:.2f}" for b, i in side)
    idle = " / ".join(f"{(1 - b / 100) * batch / i * 1000:.2f}" for b, i in side)
    print(f"   {name} b{batch}: vs eager {ips / eager['img_per_s']:.3f}, {sj['score'] / eager['j_per_img']:.3f}; "
          f"vs TS {ips / ts['img_per_s']:.3f}, {sj['score'] / ts['j_per_img']:.3f}; busy {busy:.1f} / "
          f"{eager['gpu_busy_pct']:.1f} / {ts['gpu_busy_pct']:.1f} %; GPU ms {gpu}; idle ms {idle}; "
          f"CI ±{ci_up(sj):.1f} %; avg W {suite['secondaryMetrics']['energy.avg-W']['score']:.1f} / "
          f"{eager['avg_w']:.1f} / {ts['avg_w']:.1f}")
def reference_rows(stamp, kind, prefix="python"):
    path = os.path.join(here, "calls", stamp, f"{prefix}-{kind}-{stamp}.json")
    return {(r["model"], r["precision"], r["batch"]): r for r in json.load(open(path))["results"] if "error" not in r}
for stamp in ("20261123T065111Z", "20261123T065534Z", "20261123T072501Z", "20261123T074207Z"):
    eager, ts = reference_rows(stamp, "eager"), reference_rows(stamp, "torchscript")
    for (m, prec, b), r in sorted(eager.items()):
        key = (m, "pytorch-" + prec, b)
        if key in runs and "energy.gpu-busy-%" in runs[key]["secondaryMetrics"] \
                and runs[key]["environment"]["gpu.uuid"] == json.load(open(os.path.join(
                    here, "calls", stamp, f"python-eager-{stamp}.json")))["environment"]["gpu_uuid"]:
            pair_line(f"{m} {prec}", b, runs[key], r, ts[(m, prec, b)])
check = "20261123T064648Z"
eager, ts = reference_rows(check, "eager", "busy"), reference_rows(check, "torchscript", "busy")
for e in json.load(open(os.path.join(here, "calls", check, f"busy-suite-{check}.json"))):
    m, prec, b = e["params"]["model"], e["params"]["engine"].split("-")[-1], int(e["params"]["batchSize"])
    pair_line(f"busy check {m} {prec}", b, e, eager[(m, prec, b)], ts[(m, prec, b)])

print("7. NVML busy - kernel-time busy, in points, every reference window with both")
gaps = []
for f in sorted(glob.glob(os.path.join(here, "calls", "*", "python-*.json"))
                + glob.glob(os.path.join(here, "calls", "*", "busy-eager-*.json"))
                + glob.glob(os.path.join(here, "calls", "*", "busy-torchscript-*.json"))):
    for r in json.load(open(f))["results"]:
        if r.get("gpu_busy_pct") is not None and r.get("gpu_kernel_ms_per_batch"):
            kernel = r["gpu_kernel_ms_per_batch"] * r["img_per_s"] / r["batch"] / 10
            gaps.append((r["gpu_busy_pct"] - kernel, kernel, f"{r['model']} {r['precision']} b{r['batch']}"))
busy95 = [g for g, k, _ in gaps if k >= 95]
print(f"   {len(gaps)} windows: {min(gaps)[0]:+.1f} to {max(gaps)[0]:+.1f} (the most: {max(gaps)[2]} at "
      f"{max(gaps)[1]:.1f} % kernel time); {len(busy95)} at kernel time >= 95 %: "
      f"{min(busy95):+.1f} to {max(busy95):+.1f}")

print("8. configurations measured twice: J/img of sweep/ over pre-fix/ and over other-board/, %")
for folder in ("pre-fix", "other-board"):
    for f in sorted(glob.glob(os.path.join(here, folder, "*-b*.json"))):
        e = json.load(open(f))[0]
        key = (e["params"]["model"], e["params"]["engine"], int(e["params"]["batchSize"]))
        if key in runs:
            jpi = lambda x: x["secondaryMetrics"]["energy.J/img"]["score"]
            ratio = jpi(runs[key]) / jpi(e)
            print(f"   {folder} {key[0]} {key[1]} b{key[2]}: {100 * (ratio - 1):+.1f} % "
                  f"({e['environment']['gpu.uuid'][:12]} -> {runs[key]['environment']['gpu.uuid'][:12]})")
