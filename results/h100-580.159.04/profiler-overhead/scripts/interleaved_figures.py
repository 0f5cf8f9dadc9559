#!/usr/bin/env python3
"""The ninth call's figures beyond the overhead command's own summary, from a call directory's raw files.

usage: python3 interleaved_figures.py CALL_DIR [ends]  (e.g. calls/20261206T062734Z; writes nothing, prints)
`ends` leaves out of the verbose-line figures the windows of continuous sampling (sampler busy 50 % or more).

From inter/*.json (JMH JSON of runs with energy:interleave=true): per configuration each run's median img/s of its
sampled windows over that of its sat-out windows, the sat-out windows' CV (sample SD over mean) and median img/s, the
median CV of both kinds over the runs, and per batch-1 and pytorch-fp16 batch-16 run the Spearman correlation of the
sampled windows' img/s with energy.gpu-busy-% and their SM clock and busy ranges. From go.log.gz (the consoles, one
verbose=true line per window): the sampled windows split by whether the window before was sat out, with their
sampler busy share, longest tick, its start against the window's and the pause before the window. From cont/*.json:
each run's sat-out windows' CV.
"""
import glob
import gzip
import json
import os
import re
import statistics as st
import sys


def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2
        i = j + 1
    return r


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    ma, mb = st.mean(ra), st.mean(rb)
    num = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    den = (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)) ** 0.5
    return num / den if den else float('nan')


def runs(call):
    out = {}
    for f in sorted(glob.glob(os.path.join(call, 'inter', 'model=*.json'))):
        d = json.load(open(f))[0]
        batch = int(d['params']['batchSize'])
        cfg = (d['params']['engine'], batch)
        sec = d['secondaryMetrics']
        rate = [x * batch for x in d['primaryMetric']['rawData'][0]]
        kind = sec['energy.sampled']['rawData'][0]
        sat = [x for x, k in zip(rate, kind) if k == 0]
        sam = [x for x, k in zip(rate, kind) if k == 1]
        out.setdefault(cfg, []).append(dict(file=os.path.basename(f), sat=sat, sam=sam,
                                             busy=sec['energy.gpu-busy-%']['rawData'][0],
                                             clock=sec['energy.sm-clock-MHz']['rawData'][0]))
    return out


def cv(xs):
    return st.stdev(xs) / st.mean(xs)


def main(call, ends_only=False):
    by_cfg = runs(call)
    print('configuration: each run\'s sampled/sat-out ratio; sat-out CV range; sat-out median img/s range; '
          'median CV over runs, sat-out / sampled')
    for (engine, batch), rs in sorted(by_cfg.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        ratios = [st.median(r['sam']) / st.median(r['sat']) for r in rs]
        print(f'{engine} b{batch}: ' + ', '.join(f'{x:.4f}' for x in ratios)
              + f'; CV {min(cv(r["sat"]) for r in rs) * 100:.2f}-{max(cv(r["sat"]) for r in rs) * 100:.2f} %'
              + f'; {min(st.median(r["sat"]) for r in rs):,.1f}-{max(st.median(r["sat"]) for r in rs):,.1f} img/s'
              + f'; median CV {st.median(cv(r["sat"]) for r in rs) * 100:.2f} / {st.median(cv(r["sam"]) for r in rs) * 100:.2f} %')
    print()
    print('sampled windows, batch 1 and pytorch-fp16 batch 16: Spearman(img/s, gpu-busy-%), SM clock and busy ranges')
    for (engine, batch), rs in sorted(by_cfg.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if batch != 1 and (engine, batch) != ('pytorch-fp16', 16):
            continue
        for r in rs:
            print(f'{r["file"]}: rho {spearman(r["sam"], r["busy"]):.2f}, SM clock {min(r["clock"]):.0f}-{max(r["clock"]):.0f}'
                  f' MHz, busy {min(r["busy"]):.0f}-{max(r["busy"]):.0f} %')
    clocks = [c for rs in by_cfg.values() for r in rs for c in r['clock']]
    print(f'SM clock over every sampled window of inter/: {min(clocks):.0f}-{max(clocks):.0f} MHz ({len(clocks)} windows)')
    for f in sorted(glob.glob(os.path.join(call, 'cont', 'model=*.json'))):
        d = json.load(open(f))[0]
        kind = d['secondaryMetrics']['energy.sampled']['rawData'][0]
        sat = [x for x, k in zip(d['primaryMetric']['rawData'][0], kind) if k == 0]
        print(f'cont/{os.path.basename(f)}: sat-out CV {cv(sat) * 100:.2f} %')
    print()
    line = re.compile(r'sampler busy ([0-9.]+) % \(longest tick ([0-9.]+) ms at ([+-][0-9.]+) s[^)]*\) '
                      r'\(\d+ measured ops; ([0-9.]+) ms since the previous window\)')
    after = {'sat out': [], 'sampled': []}
    previous = None
    with gzip.open(os.path.join(call, 'go.log.gz'), 'rt') as log:
        for text in log:
            if 'gpu energy: window' not in text:
                continue
            if 'sat out (sampler parked)' in text:
                previous = 'sat out'
                continue
            m = line.search(text)
            if m:
                if previous and not (ends_only and float(m.group(1)) >= 50):
                    after[previous].append(tuple(float(x) for x in m.groups()))
                previous = 'sampled'
    print('sampled windows (verbose=true lines) by the window before: n; busy % median; longest tick ms median [range];'
          ' windows with a tick > 8 ms, its start against t0 (ms); pause before, ms median')
    for kind, ws in after.items():
        long_ticks = [w for w in ws if w[1] > 8]
        starts = (f'{min(w[2] for w in long_ticks) * 1000:+.1f}..{max(w[2] for w in long_ticks) * 1000:+.1f}'
                  if long_ticks else '-')
        print(f'after {kind}: {len(ws)}; {st.median(w[0] for w in ws):.2f}; {st.median(w[1] for w in ws):.2f} '
              f'[{min(w[1] for w in ws):.2f}, {max(w[1] for w in ws):.2f}]; {len(long_ticks)}, {starts}; '
              f'{st.median(w[3] for w in ws):.1f}')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2:] == ['ends'])
