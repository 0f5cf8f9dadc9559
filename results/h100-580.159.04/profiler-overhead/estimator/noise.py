"""Noise model of log window pace inside a run: variogram and ACF at lags 1-8, by regime; tails."""
import load, numpy as np
R = load.runs()
def resid(r):
    x = np.log(np.array(r['x'])); s = np.array(r['s'])
    x = x.copy()
    for k in (0, 1):
        x[s == k] -= x[s == k].mean()
    return x
groups = {'launch-bound (b1, b16 except trt/fp32 b16 quiet)': [], 'quiet (sd<1%)': []}
for r in R:
    e = resid(r)
    groups['quiet (sd<1%)' if e.std() < 0.01 else 'launch-bound (b1, b16 except trt/fp32 b16 quiet)'].append((r, e))
for name, G in groups.items():
    print('==', name, len(G), 'runs')
    for n in (16, 48):
        GG = [e for r, e in G if len(e) == n]
        if not GG: continue
        var = np.mean([e.var() for e in GG])
        print(f' n={n}: {len(GG)} runs, mean within-run var -> sd {np.sqrt(var)*100:.2f}%')
        vg = [np.mean([0.5 * np.mean((e[h:] - e[:-h])**2) for e in GG]) for h in range(1, 9)]
        print('  semivariogram/var h=1..8:', ' '.join(f'{v/var:.2f}' for v in vg))
        acf = [np.mean([np.sum(e[h:] * e[:-h]) / np.sum(e * e) for e in GG]) for h in range(1, 9)]
        print('  acf (pooled mean of per-run) h=1..8:', ' '.join(f'{a:+.2f}' for a in acf))
        z = np.concatenate([(e - np.median(e)) / (1.4826 * np.median(np.abs(e - np.median(e)))) for e in GG])
        print(f'  standardized by run MAD: frac |z|>3 {np.mean(np.abs(z)>3):.3f}, z<-3 {np.mean(z<-3):.3f}, z>3 {np.mean(z>3):.3f}; skew {np.mean(z**3)/np.mean(z**2)**1.5:+.2f}')
        # per-run sd distribution
        sds = sorted(e.std() * 100 for e in GG)
        print('  per-run sd %:', ' '.join(f'{v:.1f}' for v in sds))
