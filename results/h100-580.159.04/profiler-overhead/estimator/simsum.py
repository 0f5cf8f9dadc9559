"""Summarise sim.csv: per scenario and window count, coverage range over (cost, level, k=2..5), half-width at k=4 relative
to med, RMS error per run, and P(verdict same at +-1 %) with 4 runs and a true cost of 0."""
import csv
from collections import defaultdict
rows = list(csv.DictReader(open('sim.csv')))
E = ['med', 'bmean', 'bmed', 'bhl', 'meanlog', 'bhuber', 'phl']
by = defaultdict(list)
for r in rows:
    by[r['scenario'], r['windows']].append(r)
for (sc, W), rs in by.items():
    print(f'{sc} | {W} windows')
    cov = {e: [float(r['coverage']) for r in rs if r['estimator'] == e] for e in E}
    hw = {e: [float(r['median_halfwidth_pct']) for r in rs if r['estimator'] == e and r['runs'] == '4' and float(r['cost_pct']) == 0 and r['level_sd'] == '0.1'][0] for e in E}
    rms = {e: [float(r['rms_run_error_pct']) for r in rs if r['estimator'] == e and r['runs'] == '4' and float(r['cost_pct']) == 0 and r['level_sd'] == '0.1'][0] for e in E}
    ps = {e: [float(r['p_same']) for r in rs if r['estimator'] == e and r['runs'] == '4' and float(r['cost_pct']) == 0 and r['level_sd'] == '0.1'][0] for e in E}
    print('   coverage min-max ' + ' '.join(f'{e}={min(cov[e]):.3f}-{max(cov[e]):.3f}' for e in E))
    print('   halfwidth k=4 %  ' + ' '.join(f'{e}={hw[e]:.3f}' for e in E))
    mhw = {e: [float(r['mean_halfwidth_pct']) for r in rs if r['estimator'] == e and r['runs'] == '4' and float(r['cost_pct']) == 0 and r['level_sd'] == '0.1'][0] for e in E}
    bias = {e: [float(r['mean_bias_pct']) for r in rs if r['estimator'] == e and r['runs'] == '4' and float(r['cost_pct']) == 0 and r['level_sd'] == '0.1'][0] for e in E}
    print('   mean hw / med    ' + ' '.join(f'{e}={mhw[e] / mhw["med"]:.2f}' for e in E))
    print('   mean bias %      ' + ' '.join(f'{e}={bias[e]:+.3f}' for e in E))
    print('   width / med      ' + ' '.join(f'{e}={hw[e] / hw["med"]:.2f}' for e in E))
    print('   RMS run error %  ' + ' '.join(f'{e}={rms[e]:.3f}' for e in E))
    print('   P(same) k=4      ' + ' '.join(f'{e}={ps[e]:.3f}' for e in E))
