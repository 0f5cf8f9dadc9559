#!/usr/bin/env python3
"""Prints the iteration-check table from the files iteration-check.sh wrote (runs.tgz unpacked into DIR):
per benchmark and iteration length, img/s, J/img by the end-step split, by the interior steps and naive, avg W and
the power cross-check, with the Python eager reference's 10 s window last.
  python3 table.py DIR > table.md"""
import glob, json, os, sys

d = sys.argv[1]
print("| model | engine | batch | iterations | img/s | J/img (split) | interior J/img | naive J/img | avg W | xcheck % |")
print("|---|---|---|---|---|---|---|---|---|---|")
for label in ("i10x1s", "i5x2s", "i2x10s"):
    for f in sorted(glob.glob(os.path.join(d, label + "-*.json"))):
        if f.endswith(".notrun.json"):
            continue
        for e in json.load(open(f)):
            m, p = e["secondaryMetrics"], e["params"]
            g = lambda k: m[k]["score"] if k in m else float("nan")
            print(f"| {p['model']} | {p['engine']} | {p['batchSize']} | {label[1:]} | {e['primaryMetric']['score'] * int(p['batchSize']):,.0f} "
                  f"| {g('energy.J/img'):.5f} | {g('energy.interior-J/img'):.5f} | {g('energy.naive-J/img'):.5f} "
                  f"| {g('energy.avg-W'):.1f} | {g('energy.xcheck-%'):+.2f} |")
ref = os.path.join(d, "python-eager.json")
if os.path.exists(ref):
    for r in json.load(open(ref))["results"]:
        if "error" not in r:
            print(f"| {r['model']} | python eager {r['precision']} | {r['batch']} | 1 x {r['seconds']:.0f} s | {r['img_per_s']:,.0f} "
                  f"| {r['j_per_img']:.5f} (naive) | | | {r['avg_w']:.1f} | |")
