#!/usr/bin/env python3
"""How far apart in pace a run's windows lie by their distance in time, over every interleaved run of these calls.

usage: python3 window_lags.py CALLS_DIR  (e.g. calls; prints)

For every JMH JSON under CALLS_DIR whose runs carry energy.sampled (energy:interleave=true) at batch 1 or 16: the
differences of log img/s between windows 1, 2, 4 and 8 apart in the same run (sampled or sat out alike), and per
engine and batch size their SD in percent. Near-equal SDs at lag 1 and lag 8 say the windows vary independently of
one another (a window's neighbour predicts it little better than a window 8 s away); a much smaller SD at lag 1 would
say the pace wanders slowly, which shorter or paired windows would cancel.
"""
import collections, glob, json, math, statistics as st, sys

res = collections.defaultdict(lambda: collections.defaultdict(list))
for f in sorted(glob.glob(sys.argv[1] + '/**/*.json', recursive=True)):
    try:
        d = json.load(open(f))
    except (ValueError, OSError):
        continue
    if not isinstance(d, list):
        continue
    for r in d:
        if not isinstance(r, dict) or 'energy.sampled' not in r.get('secondaryMetrics', {}):
            continue
        key = (r['params'].get('engine'), r['params'].get('batchSize'))
        if key[1] not in ('1', '16'):
            continue
        for raw in r['primaryMetric']['rawData']:
            logs = [math.log(x) for x in raw]
            for lag in (1, 2, 4, 8):
                res[key][lag] += [logs[i + lag] - logs[i] for i in range(len(logs) - lag)]
print('engine         batch  SD of log img/s differences, % (pairs): lag 1, 2, 4, 8 windows')
for k in sorted(res):
    print(f'{k[0]:14} {k[1]:>5}  ' + '  '.join(f'{st.pstdev(v) * 100:6.2f} ({len(v)})' for _, v in sorted(res[k].items())))
