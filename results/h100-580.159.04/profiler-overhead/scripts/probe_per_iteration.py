#!/usr/bin/env python3
"""Per configuration, over every measured iteration of its runs: the range of the scheduling profiler's probe figures
(sched.probe-chain-ns/step, sched.probe-sweep-GB/s) and Spearman's rank correlation of the iteration's img/s with each.
Usage: python3 probe_per_iteration.py DIR...   (overhead directories; standard library only)"""
import glob, json, os, re, sys

# the H200 study's rank correlation, as its run_figures.py computes it over runs
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../h200-580.159.04/profiler-overhead/scripts"))
from run_figures import spearman  # noqa: E402

RUN = re.compile(r"(?P<config>.+)\.r\d+\.[^.]+\.json$")


def values(metric):
    return [float(v) for fork in metric["rawData"] for v in fork]


print("\t".join(["dir", "config", "iterations", "chain-ns/step min", "max", "sweep-GB/s min", "max",
                 "rho img/s~chain", "rho img/s~sweep"]))
for d in sys.argv[1:]:
    by = {}
    for path in sorted(glob.glob(os.path.join(d, "*.json"))):
        m = RUN.match(os.path.basename(path))
        entries = json.load(open(path)) if m else None
        if not isinstance(entries, list) or not entries:
            continue
        e = entries[0]
        sec = e["secondaryMetrics"]
        if "sched.probe-chain-ns/step" not in sec:
            continue
        batch = int(e["params"]["batchSize"])
        c = by.setdefault(m["config"], ([], [], []))
        c[0].extend(v * batch for v in values(e["primaryMetric"]))
        c[1].extend(values(sec["sched.probe-chain-ns/step"]))
        c[2].extend(values(sec["sched.probe-sweep-GB/s"]))
    for config, (pace, chain, sweep) in sorted(by.items()):
        print("\t".join([d, config, str(len(pace)), f"{min(chain):.2f}", f"{max(chain):.2f}", f"{min(sweep):.1f}",
                         f"{max(sweep):.1f}", f"{spearman(pace, chain):+.2f}", f"{spearman(pace, sweep):+.2f}"]))
