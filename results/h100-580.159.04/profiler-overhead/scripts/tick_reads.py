#!/usr/bin/env python3
"""The tenth call's figures beyond the overhead command's own summaries, from a call directory's raw files.

usage: python3 tick_reads.py CALL_DIR  (e.g. calls/20261206T080456Z; writes nothing, prints)

From inter/ and b128/ (JMH JSON of runs with energy:interleave=true, windows in ABBA blocks: sat out, sampled, sampled,
sat out): per configuration and variant each run's median img/s of its sampled windows over that of its sat-out
windows, the sat-out windows' CV (sample SD over mean) and median img/s; and each run's median img/s of the sampled
windows that follow a sat-out window (a block's second) over that of those that follow a sampled one (its third), with
the same for the sat-out windows (a block's fourth over its first) as a control for the position in the block.
From go.log.gz (the consoles, one verbose=true line per sampled window: its longest tick and how long each NVML call in
it took, the pause before the window; only runs that ended with their result file): per variant the sampled windows split by the window before, with the longest
tick's counter read and start against t0, and the pause; and where in a continuously sampled window its longest tick
starts.
"""
import glob
import gzip
import json
import math
import os
import re
import statistics as st
import sys


def runs(call):
    out = {}
    for f in sorted(glob.glob(os.path.join(call, '*', 'model=*.json'))):
        if 'unfinished' in f:
            continue
        d = json.load(open(f))[0]
        batch = int(d['params']['batchSize'])
        variant = f.rsplit('.', 2)[1]
        rate = [x * batch for x in d['primaryMetric']['rawData'][0]]
        kind = d['secondaryMetrics']['energy.sampled']['rawData'][0]
        out.setdefault((d['params']['engine'], batch, variant), []).append(dict(file=os.path.basename(f), rate=rate, kind=kind))
    return out


def cv(xs):
    return st.stdev(xs) / st.mean(xs)


def geomean(xs):
    return math.exp(st.mean(math.log(x) for x in xs))


def main(call):
    by_cfg = runs(call)
    print('configuration variant: runs; each run\'s sampled/sat-out ratio; sat-out CV range; sat-out median img/s range')
    for (engine, batch, variant), rs in sorted(by_cfg.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2])):
        ratios, cvs, meds = [], [], []
        for r in rs:
            sat = [x for x, k in zip(r['rate'], r['kind']) if k == 0]
            sam = [x for x, k in zip(r['rate'], r['kind']) if k == 1]
            ratios.append(st.median(sam) / st.median(sat))
            cvs.append(cv(sat))
            meds.append(st.median(sat))
        print(f'{engine} b{batch} {variant}: {len(rs)}; ' + ', '.join(f'{x:.4f}' for x in ratios)
              + f'; CV {min(cvs) * 100:.2f}-{max(cvs) * 100:.2f} %; {min(meds):,.1f}-{max(meds):,.1f} img/s')
    print()
    print('by position in the block (window i of a run, i from 0: i % 4 = 1 follows a sat-out window, 2 a sampled one):'
          ' geometric mean over runs of median(i%4=1)/median(i%4=2) [each run]; sat-out control median(i%4=3)/median(i%4=0)')
    for (engine, batch, variant), rs in sorted(by_cfg.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2])):
        pos = lambda r, p: st.median(x for i, x in enumerate(r['rate']) if i % 4 == p)
        sampled = [pos(r, 1) / pos(r, 2) for r in rs]
        control = [pos(r, 3) / pos(r, 0) for r in rs]
        print(f'{engine} b{batch} {variant}: {geomean(sampled):.4f} [' + ', '.join(f'{x:.4f}' for x in sampled)
              + f']; control {geomean(control):.4f}')
    print()
    head = re.compile(r'^\[overhead\] model=\S+, engine=(\S+), batchSize=(\d+) round \d+ (\w+)$')
    done = re.compile(r'^\[overhead\] model=\S+, engine=\S+, batchSize=\d+ round \d+ \w+ -> \S+\.json$')
    line = re.compile(r'sampler busy ([0-9.]+) % \(longest tick ([0-9.]+) ms at ([+-][0-9.]+) s: ([^)]*)\) '
                      r'\(\d+ measured ops; ([0-9.]+) ms since the previous window\)')
    windows, run = [], []
    variant, previous = None, None
    with gzip.open(os.path.join(call, 'go.log.gz'), 'rt') as log:
        for text in log:
            if done.match(text.strip()):
                windows += run  # a run's windows count once it has ended with its result file: not a killed run's
                run = []
                continue
            m = head.match(text.strip())
            if m:
                variant, run = m.group(3), []
                continue
            if 'gpu energy: window' not in text:
                continue
            if 'sat out (sampler parked)' in text:
                previous = 'sat out'
                continue
            m = line.search(text)
            if m:
                reads = {k: float(v) for k, v in re.findall(r'([a-z+]+) ([0-9.]+) ms', m.group(4))}
                run.append(dict(variant=variant, after=previous, busy=float(m.group(1)), tick=float(m.group(2)),
                                    start=float(m.group(3)) * 1000, reads=reads, pause=float(m.group(5))))
                previous = 'sampled'
    print('sampled windows (verbose=true lines) by variant and the window before: n; busy % median; longest tick ms'
          ' (its part inside the window) median [range]; reads in it; its counter read ms median [range], n > 8 ms; its start against t0 ms [range];'
          ' pause before ms median [range]')
    for v in ('ends', 'continuous'):
        for after in ('sat out', 'sampled'):
            ws = [w for w in windows if w['variant'] == v and w['after'] == after]
            if not ws:
                continue
            counter = [w['reads'].get('counter', -1) for w in ws]
            kinds = sorted({k for w in ws for k in w['reads']})
            print(f'{v}, after {after}: {len(ws)}; {st.median(w["busy"] for w in ws):.2f}; '
                  f'{st.median(w["tick"] for w in ws):.2f} [{min(w["tick"] for w in ws):.2f}, {max(w["tick"] for w in ws):.2f}];'
                  f' {"/".join(kinds)} (counter in {sum(c >= 0 for c in counter)});'
                  f' {st.median(counter):.2f} [{min(counter):.2f}, {max(counter):.2f}], {sum(c > 8 for c in counter)};'
                  f' {st.median(w["start"] for w in ws):+.1f} [{min(w["start"] for w in ws):+.1f},'
                  f' {max(w["start"] for w in ws):+.1f}]; {st.median(w["pause"] for w in ws):.1f}'
                  f' [{min(w["pause"] for w in ws):.1f}, {max(w["pause"] for w in ws):.1f}]')
    print()
    print('continuous: the longest tick\'s start against t0, ms, sorted, by the window before')
    for after in ('sat out', 'sampled'):
        starts = sorted(round(w['start']) for w in windows if w['variant'] == 'continuous' and w['after'] == after)
        print(f'after {after} ({len(starts)}): ' + ' '.join(str(s) for s in starts))


if __name__ == '__main__':
    main(sys.argv[1])
