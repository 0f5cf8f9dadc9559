#!/usr/bin/env python3
"""The eleventh call's figures beyond the overhead command's own summaries, from a call directory's raw files.

usage: python3 window_spread.py CALL_DIR  (e.g. calls/20261206T101601Z; writes nothing, prints)

From b1/ and b16/ (each an overhead --out: JMH JSON of runs with energy:interleave=true, windows in ABBA blocks, and
overhead-runs.jsonl with each run's start; files named *.unfinished*.json are not results and are skipped): per
configuration, for each run in the order the runs started, its start (UTC), the median img/s of its sat-out windows,
the median of its sampled windows over that of its sat-out ones, the sat-out windows' CV (sample SD over mean), the
lag-1 autocorrelation of all its windows' img/s in time order (near 0: windows vary independently; near 1: the pace
wanders slowly), the median of its last 16 windows over its first 16 (a drift inside the run), the Spearman correlation
of its sampled windows' img/s with their energy.gpu-busy-% and the range of their energy.sm-clock-MHz, and the median
over its sampled windows of the GPU's busy time per image (gpu-busy-% of the window over its img/s, ms); then each
configuration's spread of the runs' log ratios (sample SD, the figure the command's planning line uses).
"""
import glob
import math
import json
import os
import statistics as st
import sys

from interleaved_figures import spearman  # beside this script


def lag1(xs):
    m = st.mean(xs)
    den = sum((x - m) ** 2 for x in xs)
    return sum((a - m) * (b - m) for a, b in zip(xs, xs[1:])) / den if den else float('nan')


def main(call):
    for out in ('b1', 'b16'):
        starts = {}
        for line in open(os.path.join(call, out, 'overhead-runs.jsonl')):
            r = json.loads(line)
            if r.get('outcome') == 'measured':
                c = r['config']
                starts[(c['engine'], r['round'])] = r['start']
        rows = {}
        for f in sorted(glob.glob(os.path.join(call, out, 'model=*.json'))):
            if '.unfinished' in f:
                continue
            d = json.load(open(f))[0]
            batch = int(d['params']['batchSize'])
            engine = d['params']['engine']
            rnd = int(os.path.basename(f).split('.r')[1].split('.')[0])
            rate = [x * batch for x in d['primaryMetric']['rawData'][0]]
            kind = d['secondaryMetrics']['energy.sampled']['rawData'][0]
            sat = [x for x, k in zip(rate, kind) if k == 0]
            sam = [x for x, k in zip(rate, kind) if k == 1]
            # the energy profiler's other figures come from sampled windows only, one per sampled window in order
            busy = d['secondaryMetrics']['energy.gpu-busy-%']['rawData'][0]
            clock = d['secondaryMetrics']['energy.sm-clock-MHz']['rawData'][0]
            assert len(busy) == len(sam) == len(clock), f
            rows.setdefault((engine, batch), []).append((starts.get((engine, rnd), '?'), rnd, st.median(sat),
                                                         st.median(sam) / st.median(sat), st.stdev(sat) / st.mean(sat),
                                                         lag1(rate), st.median(rate[-16:]) / st.median(rate[:16]),
                                                         spearman(sam, busy), min(clock), max(clock),
                                                         st.median(b / 100 / x * 1000 for b, x in zip(busy, sam))))
        for (engine, batch), rs in sorted(rows.items()):
            print(f'{engine} batch {batch}: start, round, sat-out median img/s, sampled/sat-out, sat-out CV %, lag-1, '
                  'last16/first16, Spearman(sampled img/s, gpu-busy-%), SM clock MHz, busy ms/img')
            for s, rnd, med, ratio, c, a, drift, rho, lo, hi, per in sorted(rs):
                print(f'  {s[11:19]} r{rnd}  {med:9,.1f}  {ratio:.4f}  {c * 100:5.2f}  {a:+.2f}  {drift:.3f}  {rho:.2f}  {lo:.0f}-{hi:.0f}'
                      f'  {per:.3f}')
            print(f'  SD of the runs\' log ratios: {st.stdev(math.log(r[3]) for r in rs) * 100:.2f} %')


if __name__ == '__main__':
    main(sys.argv[1])
