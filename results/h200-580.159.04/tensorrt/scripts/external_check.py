#!/usr/bin/env python3
"""J/img of each suite result against the NVML energy counter read outside the JVM (nvml_counter.py) over the
same measured windows. The profiler's trace (-prof energy:trace=DIR) gives each measured iteration's window
[t0, t1] in CLOCK_MONOTONIC; JMH's JSON gives each iteration's batches/s. Outside energy of a window: the counter
between its first and last change inside the window, over the images done between those two instants at that
iteration's rate. Per result: the suite's reported J/img, the outside J/img (total energy / total images over its
measured windows), and their ratio.
Usage: python3 external_check.py RESULT.json TRACE_DIR COUNTER.csv
   or: python3 external_check.py --rates R1,R2,... --batch B TRACE.csv COUNTER.csv   (rates from JMH's console log,
       for a run whose JSON was not written)"""
import csv
import glob
import json
import os
import sys


def edges(counter_csv):
    with open(counter_csv) as f:
        rows = [r for r in csv.reader(l for l in f if not l.startswith("#"))][1:]
    return [(int(t), int(e)) for t, e in rows]


def windows(trace_csv, kind="measurement"):
    out = []
    with open(trace_csv) as f:
        for line in f:
            if line.startswith("# window,"):
                _, k, i, t0, t1 = line.strip().split(",")
                if k == kind:
                    out.append((int(i), int(t0), int(t1)))
    return sorted(out)


def outside(edge_list, t0, t1):
    inside = [e for e in edge_list if t0 <= e[0] <= t1]
    if len(inside) < 2:
        return None
    (a, ea), (b, eb) = inside[0], inside[-1]
    return (eb - ea) / 1000.0, (b - a) / 1e9


def one(trace, counter, rates, batch):
    e = edges(counter)
    joules = images = 0.0
    for (i, t0, t1), ops in zip(windows(trace), rates):
        o = outside(e, t0, t1)
        if o:
            joules += o[0]
            images += ops * batch * o[1]
    print(json.dumps(dict(trace=os.path.basename(trace), batch=batch, img_per_s=sum(rates) / len(rates) * batch,
                          outside_j_per_img=joules / images, windows=len(rates))))


def main():
    if sys.argv[1] == "--rates":
        return one(sys.argv[5], sys.argv[6], [float(r) for r in sys.argv[2].split(",")], int(sys.argv[4]))
    result, trace_dir, counter = sys.argv[1:4]
    e = edges(counter)
    traces = glob.glob(os.path.join(trace_dir, "*.csv"))
    rows = []
    for entry in json.load(open(result)):
        p = entry["params"]
        batch = int(p["batchSize"])
        # the profiler names a trace after the parameter values in JMH's (alphabetical) order, then the fork's pid
        prefix = "-".join(p[k] for k in sorted(p)) + "-"
        match = [t for t in traces if os.path.basename(t).startswith(prefix)]
        if len(match) != 1:
            print(f"{p}: {len(match)} traces match", file=sys.stderr)
            continue
        ws = windows(match[0])
        rates = entry["primaryMetric"]["rawData"][0]
        joules = images = 0.0
        for (i, t0, t1), ops in zip(ws, rates):
            o = outside(e, t0, t1)
            if o:
                joules += o[0]
                images += ops * batch * o[1]
        suite = entry["secondaryMetrics"].get("energy.J/img", {}).get("score")
        ext = joules / images if images else float("nan")
        rows.append(dict(model=p["model"], engine=p["engine"], batch=batch, img_per_s=entry["primaryMetric"]["score"] * batch,
                         suite_j_per_img=suite, outside_j_per_img=ext,
                         ratio=(suite / ext) if suite and ext == ext else None, windows=len(ws)))
    for r in rows:
        print(json.dumps(r))
    return rows


if __name__ == "__main__":
    main()
