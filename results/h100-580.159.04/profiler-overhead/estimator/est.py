"""Per-run estimators of log(sampled pace / sat-out pace) for an ABBA-interleaved run.

x: window scores (batches/s) in time order; s: 1 sampled, 0 sat out. Blocks are the consecutive whole groups of 4
windows starting at `start` (0 for the real design); a block must hold 2 of each kind.
"""
import numpy as np

def blocks(x, s, start=0):
    x = np.asarray(x, float); s = np.asarray(s)
    nb = (len(x) - start) // 4
    xb = x[start:start + 4 * nb].reshape(nb, 4); sb = s[start:start + 4 * nb].reshape(nb, 4)
    return xb, sb

def block_logratios(x, s, start=0, kind='sum'):
    xb, sb = blocks(x, s, start)
    if kind == 'sum':   # log(sum sampled / sum sat-out) per block
        return np.log((xb * (sb == 1)).sum(1) / (xb * (sb == 0)).sum(1))
    ly = np.log(xb)     # mean log sampled - mean log sat-out per block
    return (ly * (sb == 1)).sum(1) / 2 - (ly * (sb == 0)).sum(1) / 2

def hl(v):
    v = np.asarray(v, float)
    i, j = np.triu_indices(len(v))
    return np.median((v[i] + v[j]) / 2)

def huber(v, k=1.345, it=50):
    v = np.asarray(v, float)
    m = np.median(v)
    sc = 1.4826 * np.median(np.abs(v - m))
    if sc <= 0:
        return np.mean(v)
    for _ in range(it):
        r = (v - m) / sc
        w = np.minimum(1, k / np.maximum(np.abs(r), 1e-12))
        m2 = np.sum(w * v) / np.sum(w)
        if abs(m2 - m) < 1e-10 * sc:
            break
        m = m2
    return m

def med_kinds(x, s, start=0):
    xb, sb = blocks(x, s, start)
    return np.log(np.median(xb[sb == 1]) / np.median(xb[sb == 0]))

def pair_logratios(x, s, start=0):
    xb, sb = blocks(x, s, start)
    p = xb.reshape(-1, 2); q = sb.reshape(-1, 2)
    return np.log(np.where(q[:, 0] == 1, p[:, 0] / p[:, 1], p[:, 1] / p[:, 0]))

ESTIMATORS = {
    'med':     med_kinds,                                                    # current product estimator
    'bmean':   lambda x, s, st=0: np.mean(block_logratios(x, s, st)),        # block-paired mean
    'bmed':    lambda x, s, st=0: np.median(block_logratios(x, s, st)),      # block-paired median
    'bhl':     lambda x, s, st=0: hl(block_logratios(x, s, st)),             # Hodges-Lehmann over blocks
    'meanlog': lambda x, s, st=0: np.mean(block_logratios(x, s, st, 'log')), # diff of mean logs = any linear-trend-adjusted diff
    'bhuber':  lambda x, s, st=0: huber(block_logratios(x, s, st, 'log')),   # Huber M over blocks
    'phl':     lambda x, s, st=0: hl(pair_logratios(x, s, st)),              # HL over adjacent (A,B) pairs
}
NAMES = list(ESTIMATORS)

def within_se(name, x, s, rng, B=300, start=0):
    """Within-run standard error: med by the product's one-run bootstrap (each kind resampled separately);
    bmean/meanlog analytically over blocks; the robust block ones by bootstrapping blocks."""
    xb, sb = blocks(x, s, start)
    nb = len(xb)
    if name in ('bmean', 'meanlog'):
        v = block_logratios(x, s, start, 'sum' if name == 'bmean' else 'log')
        return np.std(v, ddof=1) / np.sqrt(nb)
    if name == 'med':
        a = xb[sb == 0]; b = xb[sb == 1]
        ia = rng.integers(0, len(a), (B, len(a))); ib = rng.integers(0, len(b), (B, len(b)))
        return np.std(np.log(np.median(b[ib], 1) / np.median(a[ia], 1)), ddof=1)
    f = ESTIMATORS[name]
    out = []
    for _ in range(B):
        k = rng.integers(0, nb, nb)
        out.append(f(xb[k].ravel(), sb[k].ravel()))
    return np.std(out, ddof=1)
