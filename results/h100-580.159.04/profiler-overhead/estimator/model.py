"""Noise model of log window pace inside a run, and the statistics used to fit it to the recorded windows.

log pace = run level + m * (AR(1) part + white part) + slow spells + isolated outliers, with m a per-run scale
(lognormal), the AR(1) stationary with coefficient phi, spells a two-state Markov chain (enter with probability
p_enter per window, stay with p_stay) that slows the window by `depth` (times U(0.5, 1.5), per spell), and isolated
outlier windows (probability p_out) slowed by 20 %. A drift may also be a random walk (rw_sd per window), or a
two-state switching of the pace (gap sw_gap, switch probability p_sw per window): the recorded "wandering" runs.
mixture() draws each run's type: "wandering" (switching + white) or "spiky" (flat + slow spells + outliers)."""
import numpy as np

ABBA = np.array([0, 1, 1, 0])

def simulate(rng, runs, n, level_sd=0.1, m_med=1.0, m_sd=0.0, white=0.01, ar=0.0, phi=0.6, rw_sd=0.0,
             p_enter=0.0, p_stay=0.0, depth=0.2, p_out=0.0, out_depth=0.2, cost=0.0, cost_sd=0.0,
             p_out_sampled_extra=0.0, burn=20, sw_gap=0.0, p_sw=0.1):
    S = np.tile(ABBA, n // 4)
    m = m_med * np.exp(m_sd * rng.standard_normal(runs))[:, None]
    Y = level_sd * rng.standard_normal(runs)[:, None] + m * white * rng.standard_normal((runs, n))
    if ar > 0:
        e = rng.standard_normal((runs, n + burn)) * ar * np.sqrt(1 - phi ** 2)
        a = np.zeros(runs); A = np.empty((runs, n))
        a = ar * rng.standard_normal(runs)
        for t in range(n + burn):
            a = phi * a + e[:, t]
            if t >= burn: A[:, t - burn] = a
        Y += m * A
    if rw_sd > 0:
        Y += np.cumsum(rw_sd * rng.standard_normal((runs, n)), 1)
    if sw_gap > 0:   # two-state switching of the run's pace: +-gap/2 (gap x U(0.5, 1.5) per run), switch prob p_sw
        g = sw_gap * rng.uniform(0.5, 1.5, runs)
        st = rng.random(runs) < 0.5
        for t in range(n):
            st = st ^ (rng.random(runs) < p_sw)
            Y[:, t] += np.where(st, g / 2, -g / 2)
    if p_enter > 0:
        st = np.zeros(runs, bool); d = np.zeros(runs)
        for t in range(n):
            new = ~st & (rng.random(runs) < p_enter)
            d = np.where(new, depth * rng.uniform(0.5, 1.5, runs), d)
            st = np.where(st, rng.random(runs) < p_stay, new)
            Y[:, t] -= np.where(st, d, 0)
    if p_out > 0 or p_out_sampled_extra > 0:
        p = p_out + p_out_sampled_extra * (S == 1)
        Y -= out_depth * (rng.random((runs, n)) < p)
    c = cost + cost_sd * rng.standard_normal(runs)
    Y += (S == 1) * c[:, None]   # cost is log(sampled/sat-out); a negative cost slows sampled windows
    return np.exp(Y), S

def stats(Ys):
    """Ys: list of 1-D arrays of log pace (kind means removed). Returns a dict of summary statistics."""
    sd = np.array([y.std() for y in Ys])
    acf = [np.mean([np.sum(y[h:] * y[:-h]) / np.sum(y * y) for y in Ys]) for h in range(1, 5)]
    z = np.concatenate([(y - np.median(y)) / (1.4826 * np.median(np.abs(y - np.median(y))) + 1e-12) for y in Ys])
    ratio = np.median([y.std() / (1.4826 * np.median(np.abs(y - np.median(y))) + 1e-12) for y in Ys])
    return dict(sd_q10=np.quantile(sd, .1) * 100, sd_q50=np.median(sd) * 100, sd_q90=np.quantile(sd, .9) * 100,
                acf1=acf[0], acf2=acf[1], acf3=acf[2], acf4=acf[3], zlo=np.mean(z < -3), zhi=np.mean(z > 3),
                sd_over_mad=ratio)

def resid(X, S):
    Y = np.log(X).copy()
    for k in (0, 1):
        Y[:, S == k] -= Y[:, S == k].mean(1, keepdims=True)
    return Y

def mixture(rng, runs, n, p_wander, wander, spiky, **common):
    k = rng.binomial(runs, p_wander)
    Xw, S = simulate(rng, k, n, **wander, **common)
    Xs, _ = simulate(rng, runs - k, n, **spiky, **common)
    X = np.concatenate([Xw, Xs])
    return X[rng.permutation(runs)], S
