#!/usr/bin/env python3
"""Re-analyses the profiler's raw traces (trace=DIR, one CSV per run) with each energy method, per measured window:
  split     the profiler's J: counter between edges, linear inside a step, the steps straddling t0/t1 split with
            the idle baseline outside the window
  linear    counter interpolated linearly between edges at t0 and t1 (no assumption about outside)
  interior  energy between the first and last edge inside the window / their distance x window length
  naive     counter at the sample nearest t1 minus at the sample nearest t0
and the pause before each window (gap), the GPU's power in it by the counter, and the mean of the power readings.
  python3 methods.py traces/*.csv"""
import bisect, sys


def load(path):
    t, e, p, windows = [], [], [], []
    for line in open(path):
        if line.startswith("# window,"):
            _, kind, idx, t0, t1 = line.strip().split(",")
            windows.append((kind, int(idx), int(t0), int(t1)))
        elif line[0].isdigit():
            a, b, c = line.strip().split(",")
            t.append(int(a)); e.append(int(b)); p.append(int(c))
    return t, e, p, windows


def edges(t, e):
    et, ee = [], []
    for i in range(1, len(t)):
        if e[i] != e[i - 1]:
            et.append((t[i] + t[i - 1]) // 2); ee.append(e[i])
    return et, ee


def at(et, ee, x):  # counter (mJ) at time x, linear between edges
    i = bisect.bisect_right(et, x)
    if i == 0 or i == len(et):
        return None
    return ee[i - 1] + (ee[i] - ee[i - 1]) * (x - et[i - 1]) / (et[i] - et[i - 1])


def split(et, ee, t0, t1, idle_w):
    a = bisect.bisect_right(et, t0) - 1
    b = bisect.bisect_left(et, t1)
    if a < 0 or b >= len(et) or a + 1 > b:
        return None
    if a + 1 == b:
        step = ee[b] - ee[a]
        return max(0, min(step, step - idle_w * (t0 - et[a]) / 1e6 - idle_w * (et[b] - t1) / 1e6))
    s = max(0, min(ee[a + 1] - ee[a], ee[a + 1] - ee[a] - idle_w * (t0 - et[a]) / 1e6))
    en = max(0, min(ee[b] - ee[b - 1], ee[b] - ee[b - 1] - idle_w * (et[b] - t1) / 1e6))
    return s + (ee[b - 1] - ee[a + 1]) + en


def main():
    print("run | window | s | gap ms | gap W | split W | linear W | interior W | naive W | readings W")
    for path in sys.argv[1:]:
        t, e, p, windows = load(path)
        et, ee = edges(t, e)
        idle = [(t0, t1) for k, _, t0, t1 in windows if k == "idle"]
        idle_w = (at(et, ee, idle[-1][1]) - at(et, ee, idle[-1][0])) / 1000 / ((idle[-1][1] - idle[-1][0]) / 1e9) if idle else float("nan")
        prev_end = None
        rows = []
        for kind, idx, t0, t1 in windows:
            if kind == "idle":
                continue
            gap = (t0 - prev_end) / 1e6 if prev_end else float("nan")
            gap_w = ((at(et, ee, t0) - at(et, ee, prev_end)) / ((t0 - prev_end) / 1e9) / 1000) if prev_end and at(et, ee, prev_end) is not None else float("nan")
            prev_end = t1
            if kind != "measurement":
                continue
            sec = (t1 - t0) / 1e9
            sp = split(et, ee, t0, t1, idle_w)
            lin = (at(et, ee, t1) - at(et, ee, t0))
            inside = [i for i, x in enumerate(et) if t0 <= x <= t1]
            interior = (ee[inside[-1]] - ee[inside[0]]) / ((et[inside[-1]] - et[inside[0]]) / 1e9) / 1000 if len(inside) > 1 else float("nan")
            n0 = min(range(len(t)), key=lambda i: abs(t[i] - t0)); n1 = min(range(len(t)), key=lambda i: abs(t[i] - t1))
            naive = (e[n1] - e[n0]) / 1000 / sec
            rd = [x for x, tt in zip(p, t) if t0 <= tt <= t1 and x >= 0]
            row = (sec, gap, gap_w, sp / 1000 / sec if sp is not None else float("nan"), lin / 1000 / sec, interior, naive,
                   sum(rd) / len(rd) / 1000 if rd else float("nan"))
            rows.append(row)
            print(f"{path.split('/')[-1]} | {kind} {idx} | " + " | ".join(f"{v:.3f}" if i == 0 else f"{v:.1f}" for i, v in enumerate(row)))
        if rows:
            mean = [sum(r[i] for r in rows) / len(rows) for i in range(len(rows[0]))]
            print(f"{path.split('/')[-1]} | mean (idle {idle_w:.1f} W) | " + " | ".join(f"{v:.1f}" for v in mean))


if __name__ == "__main__":
    main()
