"""Load every interleaved run (entries with secondaryMetrics 'energy.sampled') of the five H100 calls studied."""
import json, glob, os, re, math
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'calls')
CALLS = ('20261206T062734Z', '20261206T080456Z', '20261206T101601Z', '20261206T132413Z', '20261206T144741Z')

def runs():
    out = []
    for f in sorted(glob.glob(ROOT + '/**/*.json', recursive=True)):
        b = os.path.basename(f)
        if b.endswith('.unfinished.json') or not b.startswith('model='):
            continue
        try:
            d = json.load(open(f))
        except Exception:
            continue
        if not isinstance(d, list):
            continue
        rel = os.path.relpath(f, ROOT)
        board = 'h100'
        call = rel.split('/')[0]
        if call not in CALLS:
            continue
        m = re.search(r'\.r(\d+)\.([^.]+)\.json$', b)
        if not m:
            continue
        rnd, variant = int(m.group(1)), m.group(2)
        for e in d:
            sm = e.get('secondaryMetrics', {})
            if 'energy.sampled' not in sm:
                continue
            p = e['params']
            for k, (x, s) in enumerate(zip(e['primaryMetric']['rawData'], sm['energy.sampled']['rawData'])):
                if len(x) != len(s):
                    continue
                out.append(dict(file=rel, board=board, call=call, engine=p['engine'], batch=int(p['batchSize']),
                                model=p['model'], variant=variant, round=rnd, fork=k, x=list(x), s=list(s)))
    return out

if __name__ == '__main__':
    R = runs()
    print(len(R))
    from collections import Counter
    c = Counter((r['board'], r['call'], r['engine'], r['batch'], r['variant'], len(r['x'])) for r in R)
    for k, v in sorted(c.items()):
        print(k, v)
    pat = Counter(tuple(r['s'][:8]) for r in R); print(pat)
    print('nan windows', sum(1 for r in R for s in r['s'] if s != s))
