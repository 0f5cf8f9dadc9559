#!/usr/bin/env python3
"""The figures of README.md from the reopen TSV files: each session's mean img/s and minor faults per batch, ranges,
and rank correlations of the pace with the machine's own pace (chain_ms, sweep_ms) where the file has them.
Usage: python3 scripts/reopen_figures.py reopen-*.tsv"""
import csv
import sys
from collections import defaultdict


def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):  # ties share their mean rank
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2
        i = j + 1
    return r


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    return cov / (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)) ** 0.5


def mean(v):
    return sum(v) / len(v)


def report(path):
    rows = list(csv.DictReader(open(path), delimiter='\t'))
    sessions = defaultdict(list)
    for r in rows:
        sessions[(int(r['jvm']), int(r['session']))].append(r)
    print(f'== {path}: {len(sessions)} sessions, {len(rows)} iterations')
    print('jvm\tsession\tmean img/s\tmean faults/batch' + ('\tmean chain ms\tmean sweep ms' if 'chain_ms' in rows[0] else '')
          + ('\tCPUs' if 'cpu' in rows[0] else ''))
    pace, chain, sweep = [], [], []
    for (j, s), its in sorted(sessions.items()):
        p = mean([float(r['img_per_s']) for r in its])
        f = mean([float(r['minor_faults_per_batch']) for r in its])
        line = f'{j}\t{s}\t{p:.0f}\t{f:.1f}'
        pace.append(p)
        if 'chain_ms' in its[0]:
            c = mean([float(r['chain_ms']) for r in its])
            m = mean([float(r['sweep_ms']) for r in its])
            chain.append(c)
            sweep.append(m)
            line += f'\t{c:.3f}\t{m:.3f}'
        if 'cpu' in its[0]:
            line += '\t' + ','.join(r['cpu'] for r in its)
        print(line)
    it_pace = [float(r['img_per_s']) for r in rows]
    it_faults = [float(r['minor_faults_per_batch']) for r in rows]
    print(f'sessions: img/s {min(pace):.0f}-{max(pace):.0f} ({100 * (max(pace) / min(pace) - 1):.0f} %); '
          f'iterations: img/s {min(it_pace):.2f}-{max(it_pace):.2f}, faults/batch {min(it_faults):.2f}-{max(it_faults):.2f}')
    if chain:
        it_chain = [float(r['chain_ms']) for r in rows]
        it_sweep = [float(r['sweep_ms']) for r in rows]
        print(f'chain ms {min(it_chain):.3f}-{max(it_chain):.3f}, sweep ms {min(it_sweep):.3f}-{max(it_sweep):.3f}; '
              f'session means {min(chain):.2f}-{max(chain):.2f}, {min(sweep):.2f}-{max(sweep):.2f}')
        print(f'rank correlation of img/s with chain / sweep: sessions {spearman(pace, chain):+.2f} / '
              f'{spearman(pace, sweep):+.2f}; iterations {spearman(it_pace, it_chain):+.2f} / {spearman(it_pace, it_sweep):+.2f}')
    if 'cpu' in rows[0]:
        by_cpu = defaultdict(list)
        for r in rows:
            by_cpu[r['cpu']].append(float(r['img_per_s']))
        for cpu, v in sorted(by_cpu.items()):
            print(f'iterations on CPU {cpu}: {len(v)}, img/s {min(v):.0f}-{max(v):.0f}')
        jvm_spread = []
        for j in sorted({k[0] for k in sessions}):
            means = [p for (jj, _), p in zip(sorted(sessions), pace) if jj == j]
            if len(means) > 1:
                jvm_spread.append((100 * (max(means) / min(means) - 1), j))
        widest = max(jvm_spread)
        print(f'sessions of one JVM differ by up to {widest[0]:.0f} % (JVM {widest[1]})')
    return {j: mean([p for (jj, _), p in zip(sorted(sessions), pace) if jj == j]) for j in {k[0] for k in sessions}}


by_file = {path: report(path) for path in sys.argv[1:]}
pairs = [p for p in by_file if p.endswith('-224px.tsv')]
for big in pairs:
    small = big.replace('-224px.tsv', '-32px.tsv')
    if small in by_file:
        jvms = sorted(by_file[big])
        print(f'== {big} against {small}: rank correlation of the JVMs\' means '
              f'{spearman([by_file[big][j] for j in jvms], [by_file[small][j] for j in jvms]):+.2f}')
