"""Placebo on the recorded windows: relabel each run with an ABBA pattern starting at window 1 or 3 (whole fake blocks
only). Over each fake block the real sampled/sat-out labels are (1,1,0,0) or (0,0,1,1), orthogonal to the ABBA
contrast, so the profiler's real effect cancels exactly for the linear estimators (bmean to first order) and nearly for
the others: the values are each estimator's error under the runs' real noise, drift and outliers, with a true ratio
of 1. Reports RMS error per estimator and regime, the calibration of each within-run SE, and the coverage/width of
Student's t intervals over the runs of each group (the product's rule)."""
import load, est, numpy as np, itertools
from scipy_free_t import tq
R = load.runs()
rng = np.random.default_rng(11)
N = est.NAMES

def fake(r, start):
    n = len(r['x'])
    s = np.zeros(n, int)
    for i in range(start, n):
        s[i] = [0, 1, 1, 0][(i - start) % 4]
    return s

vals = {}  # (run index, start) -> {name: (value, se)}
for i, r in enumerate(R):
    x = np.array(r['x'])
    for st in (1, 3):
        s = fake(r, st)
        vals[i, st] = {n: (est.ESTIMATORS[n](x, s, st), est.within_se(n, x, s, rng, B=200, start=st)) for n in N}

def regime(r):
    return 'quiet' if np.std(np.log(r['x'])) < 0.01 else 'launch'

print('RMS placebo error, % (true ratio 1), and ratio to med; mean |value/SE| calibration (z RMS should be ~1)')
for reg in ('launch', 'quiet'):
    for W in (16, 48):
        idx = [i for i, r in enumerate(R) if regime(r) == reg and len(r['x']) == W]
        if not idx: continue
        rms = {n: np.sqrt(np.mean([vals[i, st][n][0] ** 2 for i in idx for st in (1, 3)])) for n in N}
        mad = {n: 1.4826 * np.median([abs(vals[i, st][n][0]) for i in idx for st in (1, 3)]) for n in N}
        zr = {n: np.sqrt(np.mean([(vals[i, st][n][0] / vals[i, st][n][1]) ** 2 for i in idx for st in (1, 3)])) for n in N}
        print(f' {reg} {W} windows ({(W - 4) // 4} fake blocks), {len(idx)} runs x 2 offsets')
        print('   RMS %      ' + ' '.join(f'{n}={rms[n]*100:.2f}' for n in N))
        print('   ratio      ' + ' '.join(f'{n}={rms[n]/rms["med"]:.2f}' for n in N))
        print('   1.48*MAD % ' + ' '.join(f'{n}={mad[n]*100:.2f}' for n in N))
        print('   z RMS      ' + ' '.join(f'{n}={zr[n]:.2f}' for n in N))

# coverage of the product's interval over the runs of a group: every subset of k runs of each (call, engine, batch,
# variant) group, each offset; the interval is mean +- t(.975, k-1) * sd / sqrt(k) of the runs' log ratios.
from collections import defaultdict
G = defaultdict(list)
for i, r in enumerate(R):
    G[(r['call'], r['engine'], r['batch'], r['variant'])].append(i)
print('\nCoverage of 0 (true ratio 1) by the t interval over k placebo runs of one group, all subsets; median half-width %')
for reg in ('launch', 'quiet'):
    for k in (2, 3, 4):
        hold = {n: [] for n in N}; hw = {n: [] for n in N}
        for key, idx in G.items():
            if regime(R[idx[0]]) != reg or len(idx) < k: continue
            for sub in itertools.combinations(idx, k):
                for st in (1, 3):
                    for n in N:
                        v = np.array([vals[i, st][n][0] for i in sub])
                        h = tq(k - 1) * np.std(v, ddof=1) / np.sqrt(k)
                        hold[n].append(abs(v.mean()) <= h); hw[n].append(h)
        m = len(hold['med'])
        print(f' {reg} k={k}: {m} sets  ' + ' '.join(f'{n}={np.mean(hold[n]):.3f}/{np.median(hw[n])*100:.2f}' for n in N))
