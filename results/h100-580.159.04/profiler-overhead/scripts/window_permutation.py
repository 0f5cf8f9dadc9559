#!/usr/bin/env python3
"""Inside each interleaved run (energy:interleave=true, 16 windows), an exact permutation test of its ratio: the median
img/s of the sampled windows over that of the sat-out windows, against all 12,870 ways of splitting the 16 windows 8/8
(two-sided on the log ratio). Also the sat-out windows' CV and the sampler's busy share over pytorch-fp32's batch-1
windows.

usage: python3 window_permutation.py CALL_DIR  (e.g. calls/20261206T172115Z; prints)
"""
import glob
import itertools
import json
import math
import statistics as st
import sys


def main(call):
    files = (sorted(glob.glob(call + '/inter/*pytorch-fp32+batchSize=1.r?.ends.json'))
             + sorted(glob.glob(call + '/inter/*tensorrt-fp16+batchSize=1.r?.ends.json'))
             + sorted(glob.glob(call + '/b128/*pytorch-fp16*.r?.ends.json')))
    for f in files:
        d = json.load(open(f))[0]
        b = int(d['params']['batchSize'])
        pace = [x * b for x in d['primaryMetric']['rawData'][0]]
        kind = d['secondaryMetrics']['energy.sampled']['rawData'][0]
        sat = [x for x, k in zip(pace, kind) if k == 0]
        sam = [x for x, k in zip(pace, kind) if k == 1]
        observed = abs(math.log(st.median(sam) / st.median(sat)))
        windows = sat + sam
        n = len(windows)
        at_least = total = 0
        for c in itertools.combinations(range(n), n // 2):
            chosen = set(c)
            a = [windows[i] for i in chosen]
            rest = [windows[i] for i in range(n) if i not in chosen]
            total += 1
            at_least += abs(math.log(st.median(a) / st.median(rest))) >= observed - 1e-12
        print(f"{f.split('engine=')[1]}: ratio {st.median(sam) / st.median(sat):.4f}, permutation p (two-sided) "
              f"{at_least / total:.3f}, sat-out CV {st.stdev(sat) / st.mean(sat) * 100:.2f} %")
    busy = []
    for f in glob.glob(call + '/inter/*pytorch-fp32+batchSize=1.r?.ends.json'):
        busy += json.load(open(f))[0]['secondaryMetrics']['energy.sampler-busy-%']['rawData'][0]
    print(f'pytorch-fp32 batch 1, sampled windows: energy.sampler-busy-% {min(busy):.2f}-{max(busy):.2f} '
          f'(median {st.median(busy):.2f}, {len(busy)} windows)')


if __name__ == '__main__':
    main(sys.argv[1])
