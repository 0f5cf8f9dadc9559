#!/usr/bin/env python3
"""Every committed interleaved run (energy:interleave=true) of the overhead studies, pooled across calls and boards.

usage: python3 scripts/pooled_runs.py ../.. > pooled-runs.txt   (from this directory: every study under results/; needs scipy)

A run's figure is the overhead command's: the Hodges-Lehmann estimate of log(sampled / sat-out img/s) over its pairs
of neighbouring windows (2k, 2k+1) that hold one window of each kind (MedianRatio.runLogRatio,
InterleavedRun.pairLogRatios). Runs are grouped by GPU model, model, engine, batch, the variant in the file name
(*.rN.VARIANT.json: ends, continuous, ...) and the window length.

Table 1, per group: runs, boards (gpu.uuid); the geometric mean over runs with Student's t 95 % interval over the
runs (the command's pairedRatio, every run alike); the same over boards (each board's mean log ratio one unit, so a
cost that differs from board to board widens it: the claim is then about boards of that kind, not one); its
two-sided t-test p against 1; runs below 1; the SD of the runs' log ratios, % (what the command's planning figure
for "same" rests on).
Table 2, per group: the same over runs, from the pairs whose sat-out window comes first (the sampled window follows a
sat-out one, the sampler just resumed) and from those whose sampled window comes first (it follows a sampled window,
as every window does in a run without interleave=true), and their difference inside each run.
Table 3: each board's mean at batch 1 with the default sampler (ends).
"""
import glob, json, math, os, re, statistics as st, sys
from collections import defaultdict
from scipy import stats


def hl(d):
    return st.median([(d[i] + d[j]) / 2 for i in range(len(d)) for j in range(i, len(d))])


def pair_logs(x, s):
    """Each pair's log(sampled / sat-out) and whether its sat-out window comes first."""
    out = []
    for k in range(len(x) // 2):
        a, b, sa, sb = x[2 * k], x[2 * k + 1], s[2 * k], s[2 * k + 1]
        if sa + sb != 1 or not (0 < a < math.inf and 0 < b < math.inf):
            continue  # NaN flags and paces fail too
        out.append((math.log(b / a) if sb == 1 else math.log(a / b), sa == 0))
    return out


def runs(roots):
    for root in roots:
        for f in sorted(glob.glob(os.path.join(root, '**', '*.json'), recursive=True)):
            name = os.path.basename(f)
            m = re.search(r'\.r(\d+)\.([^.]+)\.json$', name)
            if not m or not name.startswith('model='):
                continue
            try:
                entries = json.load(open(f))
            except (OSError, ValueError):
                continue
            if not isinstance(entries, list):
                continue
            for e in entries:
                sm = e.get('secondaryMetrics', {})
                if 'energy.sampled' not in sm:
                    continue
                p, env = e['params'], e.get('environment', {})
                for x, s in zip(e['primaryMetric']['rawData'], sm['energy.sampled']['rawData']):
                    pairs = pair_logs(x, s) if len(x) == len(s) else []
                    if not pairs:
                        continue
                    first = [d for d, satout_first in pairs if satout_first]
                    second = [d for d, satout_first in pairs if not satout_first]
                    yield dict(file=os.path.relpath(f), board=env.get('gpu.uuid', '?'), gpu=env.get('gpu.name', '?'),
                               model=p.get('model'), engine=p['engine'], batch=int(p['batchSize']),
                               variant=m.group(2), window=e.get('measurementTime'), log=hl([d for d, _ in pairs]),
                               after_satout=hl(first) if first else None, after_sampled=hl(second) if second else None)


def interval(logs):
    """exp(mean), its t 95 % interval and the two-sided p against a ratio of 1; NaN under two values."""
    n = len(logs)
    mean = st.mean(logs)
    if n < 2 or st.stdev(logs) == 0:
        return math.exp(mean), math.nan, math.nan, math.nan
    se = st.stdev(logs) / math.sqrt(n)
    h = stats.t.ppf(0.975, n - 1) * se
    return math.exp(mean), math.exp(mean - h), math.exp(mean + h), 2 * stats.t.sf(abs(mean / se), n - 1)


def shown(i):
    return f"{i[0]:.4f} [{i[1]:.4f}, {i[2]:.4f}]"


def main(roots):
    groups = defaultdict(list)
    for r in runs(roots):
        groups[(r['gpu'], r['model'], r['engine'], r['batch'], r['variant'], r['window'])].append(r)
    order = sorted(groups, key=lambda k: (k[0], k[1], k[3], k[2], k[4], k[5]))
    print("1. Sampled over sat-out img/s, 95 %: over runs, and over boards (each board's mean one unit)")
    print(f"{'gpu':<22} {'configuration':<38} {'runs':>4} {'boards':>6}  {'over runs':<25} {'over boards':<25} {'p':>6}  below  run-SD-%")
    for key in order:
        rs = groups[key]
        boards = defaultdict(list)
        for r in rs:
            boards[r['board']].append(r['log'])
        over_boards = interval([st.mean(v) for v in boards.values()])
        below = sum(r['log'] < 0 for r in rs)
        gpu, model, engine, batch, variant, window = key
        print(f"{gpu[:22]:<22} {model} {engine} b{batch} {variant} {window:<6}".ljust(61)
              + f" {len(rs):>4} {len(boards):>6}  {shown(interval([r['log'] for r in rs])):<25} {shown(over_boards):<25}"
              f" {over_boards[3]:>6.3f}  {below}/{len(rs)}"
              f"  {100 * st.stdev([r['log'] for r in rs]) if len(rs) > 1 else math.nan:.2f}")
    print()
    print("2. By the window before the sampled one, over runs, 95 %: after a sat-out window; after a sampled window;")
    print("   the first over the second inside each run")
    for key in order:
        rs = [r for r in groups[key] if r['after_satout'] is not None and r['after_sampled'] is not None]
        if len(rs) < 3:
            continue
        gpu, model, engine, batch, variant, window = key
        print(f"{gpu[:22]:<22} {model} {engine} b{batch} {variant} {window:<6}".ljust(61) + f" {len(rs):>4}  "
              f"{shown(interval([r['after_satout'] for r in rs]))}  {shown(interval([r['after_sampled'] for r in rs]))}  "
              f"{shown(interval([r['after_satout'] - r['after_sampled'] for r in rs]))}")
    print()
    print("3. Each board at batch 1 with ends: runs, geometric mean over its runs")
    for key in order:
        gpu, model, engine, batch, variant, window = key
        if batch != 1 or variant != 'ends':
            continue
        boards = defaultdict(list)
        for r in groups[key]:
            boards[r['board']].append(r['log'])
        print(f"{gpu[:22]:<22} {model} {engine} b{batch} {variant} {window}: "
              + ", ".join(f"{b[4:12]} {len(v)} {math.exp(st.mean(v)):.4f}" for b, v in sorted(boards.items())))


if __name__ == '__main__':
    main(sys.argv[1:] or ['.'])
