#!/usr/bin/env python3
"""Each run of an overhead directory, one row: its pace (median img/s of its measured iterations, their CV) beside the
means over those iterations of the figures its profilers recorded, to see which figure follows the pace between runs.
Then, per configuration and figure, Spearman's rank correlation between the runs' pace and that figure.
Usage: python3 run_figures.py DIR [FIGURE ...]   (figures: secondary-metric labels; default the sched, gc, comp and
energy ones below). Standard library only."""
import glob, json, math, os, re, statistics as st, sys

DEFAULT = ["sched.worker-cpu-%", "sched.worker-wait-%", "sched.worker-preempted/s", "sched.worker-migrated/s",
           "sched.process-CPUs", "sched.host-busy-%", "sched.steal-%", "gc.alloc.rate.norm", "gc.count",
           "compiler.time.profiled", "energy.gpu-busy-%", "energy.sm-clock-MHz", "energy.J/img"]
RUN = re.compile(r"(?P<config>.+)\.r(?P<round>\d+)\.(?P<variant>[^.]+)\.json$")


def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(xs, ys):
    pairs = [(x, y) for x, y in zip(xs, ys) if not (math.isnan(x) or math.isnan(y))]
    if len(pairs) < 4:
        return float("nan")
    rx, ry = ranks([p[0] for p in pairs]), ranks([p[1] for p in pairs])
    mx, my = st.mean(rx), st.mean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else float("nan")


def mean_of(metric):
    raw = [v for fork in metric.get("rawData", []) for v in fork]
    # JMH writes an unknown figure as the string "NaN"; one such iteration leaves the others' mean
    vals = [float(v) for v in raw if v is not None and not math.isnan(float(v))]
    return st.mean(vals) if vals else float("nan")


def main():
    d = sys.argv[1]
    figures = sys.argv[2:] or DEFAULT
    runs = []
    for path in sorted(glob.glob(os.path.join(d, "*.json"))):
        m = RUN.match(os.path.basename(path))
        if not m:
            continue
        entries = json.load(open(path))
        if not entries:
            continue
        e = entries[0]
        batch = int(e["params"].get("batchSize", "1"))
        ips = [v * batch for fork in e["primaryMetric"]["rawData"] for v in fork]
        sec = e.get("secondaryMetrics", {})
        runs.append(dict(config=m["config"], round=int(m["round"]), variant=m["variant"], median=st.median(ips),
                         cv=st.pstdev(ips) / st.mean(ips),
                         figures={f: mean_of(sec[f]) if f in sec else float("nan") for f in figures}))
    short = [f.split(".", 1)[1] if "." in f else f for f in figures]
    print("\t".join(["config", "variant", "round", "img/s", "cv%"] + short))
    for r in sorted(runs, key=lambda r: (r["config"], r["variant"], r["round"])):
        print("\t".join([r["config"], r["variant"], str(r["round"]), f"{r['median']:.1f}", f"{100 * r['cv']:.1f}"]
                        + [f"{r['figures'][f]:.4g}" for f in figures]))
    print()
    print("Spearman rank correlation of a run's median img/s with each figure, over the runs of a configuration "
          "(all variants; NaN under 4 runs with the figure)")
    print("\t".join(["config", "runs"] + short))
    for config in sorted({r["config"] for r in runs}):
        rs = [r for r in runs if r["config"] == config]
        pace = [r["median"] for r in rs]
        print("\t".join([config, str(len(rs))] + [f"{spearman(pace, [r['figures'][f] for r in rs]):+.2f}" for f in figures]))


if __name__ == "__main__":
    main()
