#!/usr/bin/env python3
"""Per interleaved run of a b1pt.sh call (energy:interleave=true, 16 windows: sat out, sampled, sampled, sat out, ...):
the Hodges-Lehmann estimate of the sampled over sat-out img/s over the run's pairs of neighbouring windows (the
overhead command's run figure), the median ratio of the two kinds, an exact permutation test of that median ratio
(all 12,870 ways of splitting the 16 windows 8/8, two-sided on the log ratio), the sat-out windows' CV and the sampler's
median busy share; then how many runs lie below 1 and the two-sided sign-test p of that count.

usage: python3 b1_runs.py CALL_DIR/b1 [VARIANT [ENGINE]]  (prints; the runs of VARIANT, default ends: *.rN.VARIANT.json,
of ENGINE where given: a directory of several engines' runs, b1pt.sh's with B16_ENGINES, is read one engine at a time)
"""
import glob, itertools, json, math, re, statistics as st, sys


def hodges_lehmann(logs):
    walsh = [(logs[i] + logs[j]) / 2 for i in range(len(logs)) for j in range(i, len(logs))]
    return math.exp(st.median(walsh))


def permutation_p(sat, sam):
    observed = abs(math.log(st.median(sam) / st.median(sat)))
    windows = sat + sam
    n, hits, total = len(windows), 0, 0
    for pick in itertools.combinations(range(n), n // 2):
        chosen = set(pick)
        a = [windows[i] for i in chosen]
        b = [windows[i] for i in range(n) if i not in chosen]
        total += 1
        hits += abs(math.log(st.median(a) / st.median(b))) >= observed - 1e-12
    return hits / total


def main(directory, variant='ends', engine='*'):
    files = sorted(glob.glob(directory + '/*engine=' + engine + '+*.r*.' + variant + '.json'), key=lambda f: int(re.search(r'\.r(\d+)\.', f).group(1)))
    below = 0
    print('round  HL-pairs  median-ratio  perm-p  sat-out-CV-%  sampler-busy-%  sat-out-img/s')
    for f in files:
        d = json.load(open(f))[0]
        b = int(d['params']['batchSize'])
        pace = [x * b for x in d['primaryMetric']['rawData'][0]]
        kind = d['secondaryMetrics']['energy.sampled']['rawData'][0]
        busy = [x for x, k in zip(d['secondaryMetrics']['energy.sampler-busy-%']['rawData'][0], kind) if k == 1]
        sat = [x for x, k in zip(pace, kind) if k == 0]
        sam = [x for x, k in zip(pace, kind) if k == 1]
        # neighbouring windows, in the order they ran: (0,1) (2,3) ... each pair one of each kind
        logs = [math.log(pace[i + 1] / pace[i]) if kind[i] == 0 else math.log(pace[i] / pace[i + 1])
                for i in range(0, len(pace) - 1, 2) if kind[i] != kind[i + 1]]
        hl = hodges_lehmann(logs)
        below += hl < 1
        print('%5s  %8.4f  %12.4f  %6.3f  %12.2f  %14.2f  %13.1f' % (
            re.search(r'\.r(\d+)\.', f).group(1), hl, st.median(sam) / st.median(sat), permutation_p(sat, sam),
            100 * st.stdev(sat) / st.mean(sat), st.median(busy), st.median(sat)))
    n = len(files)
    k = min(below, n - below)
    p = min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)
    print('%d of %d runs below 1 (HL over pairs); two-sided sign test p = %.3f' % (below, n, p))


if __name__ == '__main__':
    main(*sys.argv[1:4])
