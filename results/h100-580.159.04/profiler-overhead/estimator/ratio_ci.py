"""Uncertainty of the width ratios: bootstrap over runs (placebo RMS ratio, launch-bound runs) and over groups (pooled
across-run SD ratio, launch-bound groups), 2,000 resamples, 95 % percentile intervals."""
import load, est, numpy as np, csv
rng = np.random.default_rng(99)
R = [r for r in load.runs() if np.std(np.log(r['x'])) >= 0.01]
def fake(n, st):
    s = np.zeros(n, int)
    for i in range(st, n): s[i] = [0, 1, 1, 0][(i - st) % 4]
    return s
E = ['med', 'bmean', 'bmed', 'bhl', 'meanlog', 'bhuber', 'phl']
for W in (16, 48, None):
    rs = [r for r in R if W is None or len(r['x']) == W]
    sq = np.array([[np.mean([est.ESTIMATORS[e](np.array(r['x']), fake(len(r['x']), st), st) ** 2 for st in (1, 3)]) for e in E] for r in rs])
    b = rng.integers(0, len(rs), (2000, len(rs)))
    out = []
    for j, e in enumerate(E[1:], 1):
        ratio = np.sqrt(sq[b, j].mean(1) / sq[b, 0].mean(1))
        out.append(f'{e}={np.sqrt(sq[:, j].mean() / sq[:, 0].mean()):.2f} [{np.quantile(ratio, .025):.2f},{np.quantile(ratio, .975):.2f}]')
    print(f'placebo RMS ratio to med, launch-bound {W or "all"} windows ({len(rs)} runs): ' + ' '.join(out))
G = [g for g in csv.DictReader(open('table_groups.csv')) if float(g['window_sd_pct']) >= 1]
df = np.array([int(g['runs']) - 1 for g in G]); V = np.array([[float(g[e + '_sd']) ** 2 for e in E] for g in G])
b = rng.integers(0, len(G), (2000, len(G)))
out = []
for j, e in enumerate(E[1:], 1):
    ratio = np.sqrt((df[b] * V[b, j]).sum(1) / (df[b] * V[b, 0]).sum(1))
    out.append(f'{e}={np.sqrt((df * V[:, j]).sum() / (df * V[:, 0]).sum()):.2f} [{np.quantile(ratio, .025):.2f},{np.quantile(ratio, .975):.2f}]')
print(f'pooled across-run SD ratio to med, launch-bound groups ({len(G)}): ' + ' '.join(out))
