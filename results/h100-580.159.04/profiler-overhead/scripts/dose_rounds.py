#!/usr/bin/env python3
"""Two interleaved variants run in the same rounds (b1pt.sh with CONT=1: ends, then continuous, order alternating by
round): per round each variant's run figure (Hodges-Lehmann over its pairs of neighbouring windows, as the overhead
command takes it), the sampler's median busy share and counter reads per second of its sampled windows, and the ratio
of the two run figures; then that ratio's geometric mean over the rounds with Student's t 95 % interval (the rounds
are the units: each holds one run of each variant, so the fork-to-fork spread of the host's pace is shared by neither
and cancels in neither, only the cost difference is compared).

usage: python3 dose_rounds.py CALL_DIR/b1 [A B]   (variants, default ends continuous; prints)
"""
import glob, json, math, re, statistics as st, sys
from scipy import stats


def run(f):
    d = json.load(open(f))[0]
    b = int(d['params']['batchSize'])
    pace = [x * b for x in d['primaryMetric']['rawData'][0]]
    sm = d['secondaryMetrics']
    kind = sm['energy.sampled']['rawData'][0]
    logs = [math.log(pace[i + 1] / pace[i]) if kind[i] == 0 else math.log(pace[i] / pace[i + 1])
            for i in range(0, len(pace) - 1, 2) if kind[i] + kind[i + 1] == 1]
    walsh = [(logs[i] + logs[j]) / 2 for i in range(len(logs)) for j in range(i, len(logs))]
    sampled = lambda name: [x for x, k in zip(sm[name]['rawData'][0], kind) if k == 1]
    return st.median(walsh), st.median(sampled('energy.sampler-busy-%')), st.median(sampled('energy.window-reads-per-s'))


def main(directory, a='ends', b='continuous'):
    rounds = sorted({int(re.search(r'\.r(\d+)\.', f).group(1)) for f in glob.glob(directory + '/*.r*.json')})
    diffs = []
    print(f'round  {a}-ratio  busy-%  reads/s  {b}-ratio  busy-%  reads/s  {b}/{a}')
    for r in rounds:
        fa, fb = glob.glob(f'{directory}/*.r{r}.{a}.json'), glob.glob(f'{directory}/*.r{r}.{b}.json')
        if not fa or not fb:
            continue
        ra, rb = run(fa[0]), run(fb[0])
        diffs.append(rb[0] - ra[0])
        print(f'{r:5d}  {math.exp(ra[0]):9.4f}  {ra[1]:6.2f}  {ra[2]:7.1f}  {math.exp(rb[0]):15.4f}  {rb[1]:6.2f}  {rb[2]:7.1f}'
              f'  {math.exp(diffs[-1]):.4f}')
    n = len(diffs)
    m, h = st.mean(diffs), stats.t.ppf(0.975, n - 1) * st.stdev(diffs) / math.sqrt(n)
    print(f'{b}/{a} over {n} rounds: {math.exp(m):.4f} [{math.exp(m - h):.4f}, {math.exp(m + h):.4f}] (95 %, t over rounds)')


if __name__ == '__main__':
    main(*sys.argv[1:4])
