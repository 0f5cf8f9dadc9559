"""Fit the noise model roughly to the launch-bound recorded windows (48-window runs for the time structure, 16-window
runs as a check), and compare the placebo error of each estimator, simulated against recorded."""
import load, model, vest, numpy as np, sys
R = load.runs()
launch = [r for r in R if np.std(np.log(r['x'])) >= 0.01]
def data_stats(W):
    Ys = []
    for r in launch:
        if len(r['x']) != W: continue
        X = np.array([r['x']]); S = np.array(r['s'])
        Ys.append(model.resid(X, S)[0])
    return model.stats(Ys), len(Ys)
def fmt(d): return ' '.join(f'{k}={v:.3f}' for k, v in d.items())
for W in (48, 16):
    st, k = data_stats(W)
    print(f'data {W}w ({k} runs): {fmt(st)}')

# placebo on simulated runs: fake ABBA starting at window 1 (as placebo.py); the simulation has no cost
def placebo_rms(X):
    n = X.shape[1]; Xs = X[:, 1:1 + 4 * ((n - 1) // 4)]; S = np.tile(model.ABBA, Xs.shape[1] // 4)
    return {e: np.sqrt(np.mean(vest.ALL[e](Xs, S) ** 2)) * 100 for e in vest.NAMES}

CANDIDATES = {
    # m_sd: per-run scale spread; white/ar: SDs at m=1; spells: p_enter, p_stay, depth
    'A white+AR': dict(m_med=1, m_sd=0.6, white=0.04, ar=0.05, phi=0.6),
    'B +spells': dict(m_med=1, m_sd=0.6, white=0.03, ar=0.03, phi=0.6, p_enter=0.06, p_stay=0.6, depth=0.2),
    'C +spells+outl': dict(m_med=1, m_sd=0.7, white=0.025, ar=0.03, phi=0.6, p_enter=0.06, p_stay=0.6, depth=0.2, p_out=0.02),
    'M mixture': 'MIX',
    'D deeper spells': dict(m_med=1, m_sd=0.7, white=0.02, ar=0.025, phi=0.6, p_enter=0.07, p_stay=0.65, depth=0.22, p_out=0.02),
}
MIX = dict(p_wander=0.55,
           wander=dict(white=0.055, m_sd=0.3, ar=0.0, sw_gap=0.26, p_sw=0.12),
           spiky=dict(white=0.012, m_sd=0.5, ar=0.01, phi=0.6, p_enter=0.05, p_stay=0.55, depth=0.18, p_out=0.02))
sel = sys.argv[1:] or list(CANDIDATES)
rng = np.random.default_rng(5)
for name in sel:
    p = CANDIDATES[name]
    for W in (48, 16):
        X, S = model.mixture(rng, 4000, W, **MIX) if p == 'MIX' else model.simulate(rng, 4000, W, **p)
        st = model.stats(list(model.resid(X, S)))
        print(f'{name} {W}w: {fmt(st)}')
        pr = placebo_rms(X)
        print(f'   placebo RMS %: ' + ' '.join(f'{e}={v:.2f}' for e, v in pr.items()) + '  ratio phl/med=%.2f bmean/med=%.2f' % (pr['phl'] / pr['med'], pr['bmean'] / pr['med']))
