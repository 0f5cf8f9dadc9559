#!/usr/bin/env python3
"""The twelfth call's figures beyond the overhead command's own summary, from a call directory's raw files.

usage: python3 host_side.py CALL_DIR  (writes nothing, prints)

From b1/ (an overhead --out: JMH JSON of runs with energy:interleave=true and sched:probe=true, windows in ABBA blocks,
and overhead-runs.jsonl with each run's start; files named *.unfinished*.json are not results and are skipped): per
configuration, for each run in the order the runs started, its start (UTC), the median img/s of its sat-out windows,
the median of its sampled windows over that of its sat-out ones, the sat-out windows' CV, and over all its windows the
medians of the scheduling profiler's figures (the worker thread's CPU share, its wait for a CPU, steal, the probe's FP chain ns/step and 32 MiB sum GB/s) with the Spearman correlation of each with the windows'
img/s inside the run, and the median over its sampled windows of the GPU's busy time per image (energy.gpu-busy-% of
the window over its img/s, ms); then, over the runs of a configuration, the Spearman correlation of the runs' sat-out medians with
the runs' medians of those figures (what follows the drift over the session), and the runs' log-ratio spread (sample
SD, the figure the command's planning line uses), beside that of an ABBA-block estimator (each block of four windows'
sampled pair over its sat-out pair, by energy.sampled; the mean of the blocks' log ratios in a run).
"""
import glob
import json
import math
import os
import statistics as st
import sys

from interleaved_figures import spearman  # beside this script


SCHED = [('cpu%', 'sched.worker-cpu-%'), ('wait%', 'sched.worker-wait-%'), ('steal%', 'sched.steal-%'),
         ('chain', 'sched.probe-chain-ns/step'), ('GB/s', 'sched.probe-sweep-GB/s')]


def main(call):
    out = os.path.join(call, 'b1')
    starts = {}
    for line in open(os.path.join(out, 'overhead-runs.jsonl')):
        r = json.loads(line)
        if r.get('outcome') == 'measured':
            starts[(r['config']['engine'], r['round'])] = r['start']
    rows = {}
    for f in sorted(glob.glob(os.path.join(out, 'model=*.json'))):
        if '.unfinished' in f:
            continue
        d = json.load(open(f))[0]
        batch = int(d['params']['batchSize'])
        engine = d['params']['engine']
        rnd = int(os.path.basename(f).split('.r')[1].split('.')[0])
        sec = d['secondaryMetrics']
        rate = [x * batch for x in d['primaryMetric']['rawData'][0]]
        kind = sec['energy.sampled']['rawData'][0]
        sat = [x for x, k in zip(rate, kind) if k == 0]
        sam = [x for x, k in zip(rate, kind) if k == 1]
        figs = {}
        for name, label in SCHED:
            v = sec[label]['rawData'][0] if label in sec else []
            figs[name] = v if len(v) == len(rate) else None
        busy = sec['energy.gpu-busy-%']['rawData'][0]
        gpu_ms = st.median(b / 100 / x * 1000 for b, x in zip(busy, sam))
        blocks = []
        for i in range(0, len(rate) - 3, 4):
            block = list(zip(rate[i:i + 4], kind[i:i + 4]))
            blocks.append(math.log(sum(x for x, k in block if k == 1) / sum(x for x, k in block if k == 0)))
        rows.setdefault((engine, batch), []).append(dict(start=starts.get((engine, rnd), '?'), rnd=rnd,
                                                         sat=st.median(sat), ratio=st.median(sam) / st.median(sat),
                                                         cv=st.stdev(sat) / st.mean(sat), rate=rate, figs=figs, gpu_ms=gpu_ms,
                                                         block=st.mean(blocks)))
    names = [n for n, _ in SCHED]
    for cfg, runs in sorted(rows.items()):
        runs.sort(key=lambda r: r['start'])
        print(f'== {cfg[0]} batch {cfg[1]}: {len(runs)} runs')
        print('start                 round  sat-out img/s  ratio   CV     ' + '  '.join(f'{n:>16s}' for n in names) + '  GPU ms/img')
        for r in runs:
            cells = []
            for n in names:
                v = r['figs'].get(n)
                cells.append(f'{st.median(v):8.3f} ({spearman(v, r["rate"]):+.2f})' if v else f'{"-":>16s}')
            print(f'{r["start"]:22s} {r["rnd"]:3d} {r["sat"]:12.1f}  {r["ratio"]:.4f} {100 * r["cv"]:5.1f}%  '
                  + '  '.join(cells) + f'  {r["gpu_ms"]:.3f}')
        if len(runs) > 2:
            over = []
            for n in names:
                if all(r['figs'].get(n) for r in runs):
                    over.append(f'{n} {spearman([st.median(r["figs"][n]) for r in runs], [r["sat"] for r in runs]):+.2f}')
            print('over the runs, Spearman with the sat-out median: ' + ', '.join(over))
        if len(runs) > 1:
            print(f'runs\' log-ratio SD: medians {100 * st.stdev(math.log(r["ratio"]) for r in runs):.2f} %, '
                  f'ABBA blocks {100 * st.stdev(r["block"] for r in runs):.2f} % '
                  f'(block estimator mean ratio {math.exp(st.mean(r["block"] for r in runs)):.4f})')


if __name__ == '__main__':
    main(sys.argv[1])
