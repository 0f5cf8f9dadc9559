"""Vectorised estimators over many runs: X (runs, n) window paces, S (n,) the ABBA labels starting at window 0."""
import numpy as np

def _blocks(X, S):
    nb = X.shape[1] // 4
    Xb = X[:, :4 * nb].reshape(len(X), nb, 4); Sb = S[:4 * nb].reshape(nb, 4)
    return Xb, Sb

def block_sum(X, S):
    Xb, Sb = _blocks(X, S)
    return np.log((Xb * (Sb == 1)).sum(2) / (Xb * (Sb == 0)).sum(2))

def block_log(X, S):
    Xb, Sb = _blocks(X, S); L = np.log(Xb)
    return (L * (Sb == 1)).sum(2) / 2 - (L * (Sb == 0)).sum(2) / 2

def pairs(X, S):
    Xb, Sb = _blocks(X, S)
    P = Xb.reshape(len(X), -1, 2); Q = Sb.reshape(-1, 2)
    return np.log(np.where(Q[:, 0] == 1, P[:, :, 0] / P[:, :, 1], P[:, :, 1] / P[:, :, 0]))

def hl(V):
    i, j = np.triu_indices(V.shape[1])
    return np.median((V[:, i] + V[:, j]) / 2, axis=1)

def huber(V, k=1.345, it=30):
    m = np.median(V, 1)
    sc = 1.4826 * np.median(np.abs(V - m[:, None]), 1)
    ok = sc > 0
    sc = np.where(ok, sc, 1)
    for _ in range(it):
        r = (V - m[:, None]) / sc[:, None]
        w = np.minimum(1, k / np.maximum(np.abs(r), 1e-12))
        m = (w * V).sum(1) / w.sum(1)
    return np.where(ok, m, V.mean(1))

def med_kinds(X, S):
    nb = X.shape[1] // 4; X = X[:, :4 * nb]; S = S[:4 * nb]
    return np.log(np.median(X[:, S == 1], 1) / np.median(X[:, S == 0], 1))

ALL = {
    'med': med_kinds,
    'bmean': lambda X, S: block_sum(X, S).mean(1),
    'bmed': lambda X, S: np.median(block_sum(X, S), 1),
    'bhl': lambda X, S: hl(block_sum(X, S)),
    'meanlog': lambda X, S: block_log(X, S).mean(1),
    'bhuber': lambda X, S: huber(block_log(X, S)),
    'phl': lambda X, S: hl(pairs(X, S)),
}
NAMES = list(ALL)
