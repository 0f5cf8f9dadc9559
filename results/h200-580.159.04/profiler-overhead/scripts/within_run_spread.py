"""Spread of img/s inside and between runs of an overhead directory, per variant.

usage: python3 within_run_spread.py DIR[+DIR...] [DIR ...]
DIRs joined with + are runs in several directories, pooled as consecutive rounds; only the variants every one of them
has count. A directory of several configurations (model, engine, batch) reports each. For each variant: runs; the
median over runs of the coefficient of variation of the run's measured iterations and of its range (max - min over the
median); how many runs have a range over 10 %; the spread of the runs' medians (SD of their logs); and Welch's t on the
log run medians against the first variant (off), with its 95 % interval of the ratio of geometric means; and
Wilcoxon's signed-rank test on the within-run CVs paired by round. Only complete rounds (every variant present) count.
"""
import glob
import json
import math
import re
import statistics as st
import sys

from scipy import stats


def report(name, variants, rounds):
    print(f"{name}: {len(rounds)} complete rounds")
    logs, cvs = {}, {}
    for v in variants:
        rs = [rounds[k][v] for k in sorted(rounds)]
        cv = [st.pstdev(x) / st.mean(x) for x in rs]
        rng = [(max(x) - min(x)) / st.median(x) for x in rs]
        cvs[v] = cv
        logs[v] = [math.log(st.median(x)) for x in rs]
        line = (f"  {v:6s} runs {len(rs):3d}  within-run CV median {st.median(cv):.3f}  range median {st.median(rng):.3f}"
                f"  runs with range > 10 % {sum(r > 0.10 for r in rng):2d}  SD of log run medians {st.stdev(logs[v]):.4f}")
        if v != variants[0]:
            a, b = logs[variants[0]], logs[v]
            va, vb = st.variance(a) / len(a), st.variance(b) / len(b)
            df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
            diff, se = st.mean(b) - st.mean(a), math.sqrt(va + vb)
            q = stats.t.ppf(0.975, df)
            line += (f"\n         ratio of geometric means {math.exp(diff):.4f} [{math.exp(diff - q * se):.4f},"
                     f" {math.exp(diff + q * se):.4f}] (Welch, df {df:.0f}), p = {2 * stats.t.sf(abs(diff / se), df):.3g}"
                     f"\n         within-run CV larger than off's in {sum(y > x for x, y in zip(cvs[variants[0]], cv))} of"
                     f" {len(cv)} rounds, Wilcoxon p = {stats.wilcoxon(cvs[variants[0]], cv).pvalue:.2g}")
        print(line)


def runs(dirs):
    """Per configuration (model+engine+batch), its variants and complete rounds; each further directory's rounds
    follow the previous one's."""
    by_config, offset, each = {}, 0, []
    for d in dirs.split("+"):
        last, seen = 0, {}
        for f in glob.glob(d + "/*.r*.json"):
            m = re.search(r"([^/]*)\.r(\d+)\.([A-Za-z0-9_-]+)\.json$", f)
            if not m or ".unfinished." in f:
                continue
            r = json.load(open(f))[0]
            raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
            by_config.setdefault(m.group(1), {}).setdefault(offset + int(m.group(2)), {})[m.group(3)] = raw
            last = max(last, int(m.group(2)))
            seen.setdefault(m.group(1), set()).add(m.group(3))
        if not seen:
            sys.exit(f"{d}: no run files (<config>.r<round>.<variant>.json)")
        offset += last
        each.append(seen)
    for config in sorted(by_config):
        variants = sorted(set.intersection(*(s.get(config, set()) for s in each)), key=lambda v: (v != "off", v))
        complete = {k: r for k, r in by_config[config].items() if all(v in r for v in variants)}
        yield config, variants, complete


for d in sys.argv[1:]:
    configs = list(runs(d))
    for config, variants, rounds in configs:
        report(d if len(configs) == 1 else f"{d}: {config}", variants, rounds)
