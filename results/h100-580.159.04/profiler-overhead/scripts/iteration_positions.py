#!/usr/bin/env python3
"""Per variant of an overhead directory: the mean img/s over its runs of each measured iteration position (1st, 2nd,
...), and each position's ratio to the baseline's (the command's first --variant, from overhead-settings.json). Whether a variant's difference is a ramp (early iterations
only) or holds through the window. Usage: python3 iteration_positions.py DIR. Standard library only."""
import glob, json, os, re, statistics as st, sys

RUN = re.compile(r"(?P<config>.+)\.r(?P<round>\d+)\.(?P<variant>[^.]+)\.json$")
runs = {}
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    m = RUN.match(os.path.basename(f))
    if not m or m["variant"] == "unfinished":
        continue
    b = json.load(open(f))
    b = b[0] if isinstance(b, list) else b
    batch = int(b["params"]["batchSize"])
    its = [x * batch for it in b["primaryMetric"]["rawData"] for x in it]
    runs.setdefault(m["config"], {}).setdefault(m["variant"], []).append(its)
settings = json.load(open(os.path.join(sys.argv[1], "overhead-settings.json")))
order = [spec.split("=", 1)[0] for spec in settings["--variant"].split(" ")]
for config, variants in runs.items():
    print(config)
    n = min(len(r) for v in variants.values() for r in v)
    means = {v: [st.mean(r[i] for r in variants[v]) for i in range(n)] for v in order if v in variants}
    base = means[order[0]]
    for v, pos in means.items():
        ratios = " ".join(f"{p / b:.4f}" for p, b in zip(pos, base))
        print(f"  {v:6s} runs {len(variants[v])}  img/s " + " ".join(f"{p:9.0f}" for p in pos) + f"  ratio {ratios}")
