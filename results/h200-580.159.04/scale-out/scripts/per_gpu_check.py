#!/usr/bin/env python3
"""Pairs each result of DIR/together with the same engine and batch run alone on the same board (DIR/alone-*), by the
gpu.uuid its environment records, and prints img/s and J/img of both with the J/img ratio (together / alone)."""
import glob
import json
import os
import sys


def results(pattern):
    out = {}
    for f in glob.glob(pattern, recursive=True):
        if f.endswith(('.notrun.json', 'settings.json', 'shard.json')) or '.earlier.' in f or '.unfinished.' in f:
            continue
        try:
            rs = json.load(open(f))
        except ValueError:
            continue
        for r in rs if isinstance(rs, list) else []:
            p = r.get('params', {})
            env = r.get('environment') or {}
            key = (env.get('gpu.uuid'), p.get('engine'), p.get('batchSize'))
            batch = int(p.get('batchSize', 1))
            jimg = r.get('secondaryMetrics', {}).get('energy.J/img', {}).get('score')
            out[key] = (r['primaryMetric']['score'] * batch, jimg, os.path.relpath(f, sys.argv[1]))
    return out


alone = results(os.path.join(sys.argv[1], 'alone-*', '**', '*.json'))
together = results(os.path.join(sys.argv[1], 'together', '**', '*.json'))
print('gpu.uuid engine batch | alone img/s J/img | together img/s J/img | J/img together/alone')
for key in sorted(together, key=str):
    t = together[key]
    a = alone.get(key)
    if a is None:
        print(*key, '| no run alone on this board |', t[2])
        continue
    nan = float('nan')
    ratio = t[1] / a[1] if a[1] and t[1] else nan  # no energy measured on a side: no ratio
    print(*key, f'| {a[0]:.1f} {a[1] or nan:.5f} | {t[0]:.1f} {t[1] or nan:.5f} | {ratio:.4f}', a[2], t[2])
