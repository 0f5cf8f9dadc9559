"""Step 1: per (call, engine, batch, variant) group with >= 3 runs, the across-run SD of each estimator's per-run log
ratio and the RMS of its within-run SE; pooled summaries by regime. Writes table_groups.csv, table_runs.csv."""
import load, est, numpy as np, csv
from collections import defaultdict
rng = np.random.default_rng(7)
R = load.runs()
G = defaultdict(list)
for r in R:
    G[(r['call'], r['engine'], r['batch'], r['variant'])].append(r)
N = est.NAMES
runrows = []
grows = []
for key in sorted(G, key=lambda k: (k[2], k[0], k[1], k[3])):
    rs = G[key]
    vals = {n: [] for n in N}; ses = {n: [] for n in N}
    for r in rs:
        x, s = np.array(r['x']), np.array(r['s'])
        row = dict(call=key[0], engine=key[1], batch=key[2], variant=key[3], round=r['round'], windows=len(x),
                   window_sd_pct=round(np.std(np.log(x)) * 100, 2))
        for n in N:
            v = est.ESTIMATORS[n](x, s); se = est.within_se(n, x, s, rng)
            vals[n].append(v); ses[n].append(se)
            row[n + '_pct'] = round(v * 100, 3); row[n + '_se_pct'] = round(se * 100, 3)
        runrows.append(row)
    if len(rs) < 3:
        continue
    g = dict(call=key[0], engine=key[1], batch=key[2], variant=key[3], runs=len(rs), windows=len(rs[0]['x']),
             window_sd_pct=round(np.sqrt(np.mean([np.var(np.log(r['x'])) for r in rs])) * 100, 2))
    for n in N:
        g[n + '_sd'] = round(np.std(vals[n], ddof=1) * 100, 3)
        g[n + '_se'] = round(np.sqrt(np.mean(np.square(ses[n]))) * 100, 3)
        g[n + '_mean'] = round(np.mean(vals[n]) * 100, 3)
    grows.append(g)
for name, rows in (('table_runs.csv', runrows), ('table_groups.csv', grows)):
    with open(name, 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0])); w.writeheader(); w.writerows(rows)

def show(title, rows, field):
    print(title)
    print(f"{'call':15s} {'engine':13s} {'b':>3s} {'var':4s} {'n':>2s} {'w':>2s} {'win%':>5s} | " + ' '.join(f'{n:>7s}' for n in N))
    for g in rows:
        print(f"{g['call'][:15]} {g['engine']:13s} {g['batch']:3d} {g['variant'][:4]:4s} {g['runs']:2d} {g['windows']:2d} {g['window_sd_pct']:5.1f} | "
              + ' '.join(f"{g[n + field]:7.2f}" for n in N))
show('Across-run SD of per-run log ratio, % (each group)', grows, '_sd')
show('\nRMS within-run SE, % (each group)', grows, '_se')
show('\nMean of per-run log ratio, % (each group)', grows, '_mean')

# pooled across groups: within-group variance pooled by degrees of freedom, per regime
def regime(g):
    return 'quiet' if g['window_sd_pct'] < 1 else 'launch'
print('\nPooled across groups (df-weighted variance pooling): SD %, ratio to med; and RMS within-run SE')
for reg in ('launch', 'quiet'):
    for W in (16, 48, None):
        rows = [g for g in grows if regime(g) == reg and (W is None or g['windows'] == W)]
        if not rows: continue
        df = sum(g['runs'] - 1 for g in rows)
        pooled = {n: np.sqrt(sum((g['runs'] - 1) * g[n + '_sd'] ** 2 for g in rows) / df) for n in N}
        pse = {n: np.sqrt(np.mean([g[n + '_se'] ** 2 for g in rows])) for n in N}
        # geometric mean over groups of the SD ratio to med
        gm = {n: np.exp(np.mean([np.log(g[n + '_sd'] / g['med_sd']) for g in rows])) for n in N}
        wins = {n: sum(g[n + '_sd'] < g['med_sd'] for g in rows) for n in N}
        print(f" {reg} windows={W or 'all'}: {len(rows)} groups, df={df}")
        print('   pooled SD     ' + ' '.join(f'{n}={pooled[n]:.2f}' for n in N))
        print('   ratio to med  ' + ' '.join(f'{n}={pooled[n]/pooled["med"]:.2f}' for n in N))
        print('   geo-mean ratio' + ' '.join(f' {n}={gm[n]:.2f}' for n in N))
        print('   groups narrower than med ' + ' '.join(f'{n}={wins[n]}/{len(rows)}' for n in N))
        print('   RMS within SE ' + ' '.join(f'{n}={pse[n]:.2f}' for n in N))
