#!/usr/bin/env python3
"""The figures the study README quotes from the sweep's raw JMH JSON, recomputed:
  python3 results/h100-580.159.04/study/analysis.py
1. JMH's 99.9 % interval of J/img relative to the score, by batch size;
2. the first measured iteration's power against the median of the other iterations (batch >= 64), the warmup-pause
   effect, and the same for opt-engines/run-3 (first against the mean of the other two);
3. suite vs the Python eager reference of the same call at batch 128 and 16, all iterations and iterations 2-10;
4. one benchmark on different boards: ResNet-50 FP32 at batch 128 (J/img) and batch 1 (batches/s) in every result
   file of this folder's parent, with the GPU UUID;
5. the work each best batch does per second: 2 x the catalog's GMACs per image x img/s, in TFLOP/s, next to the
   H100 SXM's dense peaks (FP32 67, TF32 494.7, FP16 989.4: gpuenergy.report.PeakFlops), lowest J/img per model and
   engine over every batch measured (of a configuration measured twice, the result the report plots)."""
import csv, glob, json, os, statistics

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
