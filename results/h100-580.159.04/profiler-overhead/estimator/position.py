"""Diagnostic: mean log pace by position in the ABBA block (relative to the block's mean), and the two pair
orientations (A,B) and (B,A), pooled over runs; SE from the spread over runs."""
import load, est, numpy as np
R = load.runs()
for reg, f in (('launch', lambda r: np.std(np.log(r['x'])) >= 0.01), ('quiet', lambda r: np.std(np.log(r['x'])) < 0.01)):
    pos = []; ab = []; ba = []
    for r in R:
        if not f(r): continue
        L = np.log(np.array(r['x'])).reshape(-1, 4)
        pos.append((L - L.mean(1, keepdims=True)).mean(0))
        p = est.pair_logratios(r['x'], r['s'])
        ab.append(p[0::2].mean()); ba.append(p[1::2].mean())
    pos = np.array(pos) * 100; ab = np.array(ab) * 100; ba = np.array(ba) * 100
    se = pos.std(0, ddof=1) / np.sqrt(len(pos))
    print(f'{reg} ({len(pos)} runs): position A0 B1 B2 A3 rel. to block mean %: ' + ' '.join(f'{m:+.2f}±{s:.2f}' for m, s in zip(pos.mean(0), se)))
    print(f'   pair (A,B) i.e. windows 0-1: {ab.mean():+.2f}±{ab.std(ddof=1)/np.sqrt(len(ab)):.2f}   pair (B,A) windows 2-3: {ba.mean():+.2f}±{ba.std(ddof=1)/np.sqrt(len(ba)):.2f}')
