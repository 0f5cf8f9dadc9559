#!/usr/bin/env python3
"""Lists the JMH results whose reported img/s x J/img is not their reported average power.

The energy profiler reports J/img over a run as the sum of the iterations' powers over the sum of their rates, so
that JMH's score (the mean rate) x J/img = avg-W (the mean power) by construction. Results written while J/img was
the mean of per-iteration values miss that wherever the throughput varied between iterations. This reads result
files as JMH wrote them (no recomputation) and lists every result whose three figures disagree by more than the
tolerance:

  python3 tools/energy_relation.py [--tolerance 0.5] PATH...   files or directories (searched for *.json)

Directories are searched through symbolic links to directories too (results kept elsewhere and linked in are
checked); a directory reached twice (a link back up the tree, or a second link to it) is searched once, so no result
is counted twice.
One line per disagreeing result, worst first, then a summary. Exit 0: none disagrees; 1: some do; 2: bad input (a
path that is not there, or paths that hold no JMH result), nothing was checked (every result without energy, not in
throughput mode or with a NaN figure: one line says so after the summary), or not everything was checked: a file that
cannot be read or is not JSON (a damaged result file), a directory that cannot be listed and a result entry not shaped
as JMH writes one each get one line naming it and a count in the summary; the rest is checked and listed as usual.
A result of the profiler's interleave=true is checked with the throughput of the windows it sampled, which its energy
figures are of (JMH's score is over every window), as the suite's reader pairs them.
Results without energy, or not in throughput mode, are not checked (counted in the summary), nor are the entries of
benchmarks that did not finish (*.unfinished.json: their iterations are kept, but they are no result); a NaN figure
is counted as unknown, never as agreeing.
"""
import argparse
import json
import math
import os
import re
import signal
import sys

# Names the suite's Java code owns, which a Python tool cannot import; test_energy_relation.py holds them equal to
# gpuenergy.profile.EnergyLabels, gpuenergy.profile.EnvironmentKeys, gpuenergy.results.ParamNames and NotRunList.
J_PER_IMG = "energy.J/img"
AVG_W = "energy.avg-W"
SAMPLED = "energy.sampled"  # with interleave=true, per measured window: 1 sampled, 0 sat out, NaN neither
UNFINISHED = "unfinished"  # the environment key of a benchmark that did not finish (*.unfinished.json)
BATCH_SIZE = "batchSize"
NOT_RUN_LIST = ".notrun.json"  # how the name of a list of the benchmarks that did not run ends
SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0, "hr": 3600.0, "day": 86400.0}
DEFAULT_TOLERANCE_PCT = 0.5


def number(v):
    """JMH writes NaN and infinities as strings."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def score(metrics, name):
    """The score of metrics[name]; a ValueError naming the metric where it is not a metric as JMH writes one."""
    m = metrics.get(name)
    if not isinstance(m, dict) or "score" not in m:
        raise ValueError("%s is %s, not a metric with a score" % (name, json.dumps(m)))
    return number(m["score"])


def forks(metrics, name):
    """The rawData of metrics[name], one list per fork; a ValueError naming the metric where it has none as JMH writes it."""
    raw = metrics[name].get("rawData")
    if not isinstance(raw, list) or not all(isinstance(f, list) for f in raw):
        raise ValueError("%s has rawData %s, not a list per fork" % (name, json.dumps(raw)))
    return raw


def sampled_rate(entry, s):
    """The mean rate of the measured windows the profiler sampled, in the primary metric's unit: with interleave=true
    JMH's score is over every window and the energy figures over the sampled ones only (SAMPLED 1), as
    gpuenergy.results.BenchmarkResult.sampledWindows pairs them. NaN where which windows it sampled is not known (the
    SAMPLED values are not one 0, 1 or NaN per window of each fork) or where it sampled none."""
    score(s, SAMPLED)
    windows, kinds = forks(entry, "primaryMetric"), forks(s, SAMPLED)
    if [len(f) for f in windows] != [len(f) for f in kinds]:
        return math.nan
    flags = [number(k) for f in kinds for k in f]
    if any(not math.isnan(k) and k not in (0, 1) for k in flags):
        return math.nan
    kept = [number(w) for w, k in zip((w for f in windows for w in f), flags) if k == 1]
    return sum(kept) / len(kept) if kept else math.nan


def batch_size(entry):
    """The batchSize parameter (1 without one); a ValueError where it is not a whole number >= 1, as the suite's
    reader of result files (gpuenergy.results.BenchmarkResult) refuses it: every figure per image would be off."""
    params = entry.get("params") or {}
    if not isinstance(params, dict):
        raise ValueError("params is %s, not an object" % json.dumps(params))
    b = params.get(BATCH_SIZE, "1")
    # Java's Integer.parseInt, which that reader applies: a sign and digits, no '_' (Python's int takes "1_6" for 16),
    # at most 2^31 - 1
    value = int(str(b).strip()) if re.fullmatch(r"[+-]?\d+", str(b).strip()) else 0
    if not 1 <= value <= 2 ** 31 - 1:
        raise ValueError('%s "%s": expected a whole number >= 1' % (BATCH_SIZE, b))
    return value


def check(entry):
    """(status, figures) for one JMH result entry. status: 'unfinished', 'no-energy', 'not-throughput', 'unknown' (a
    figure is NaN) or 'checked'; figures: img/s, J/img, their product, avg-W and the product's deviation from avg-W (a
    fraction). A ValueError names the field of an entry that is not shaped as JMH writes it."""
    environment = entry.get("environment")
    if isinstance(environment, dict) and UNFINISHED in environment:
        return "unfinished", None
    s = entry.get("secondaryMetrics") or {}
    if not isinstance(s, dict):
        raise ValueError("secondaryMetrics is %s, not an object" % json.dumps(s))
    if J_PER_IMG not in s or AVG_W not in s:
        return "no-energy", None
    primary = entry["primaryMetric"]
    if not isinstance(primary, dict):
        raise ValueError("primaryMetric is %s, not a metric" % json.dumps(primary))
    unit = str(primary.get("scoreUnit", ""))
    if entry.get("mode", "thrpt") != "thrpt" or not unit.startswith("ops/") or unit[4:] not in SECONDS:
        return "not-throughput", None
    rate = sampled_rate(entry, s) if SAMPLED in s else score(entry, "primaryMetric")
    img_s = rate / SECONDS[unit[4:]] * batch_size(entry)
    j = score(s, J_PER_IMG)
    w = score(s, AVG_W)
    product = img_s * j
    # an avg-W of 0 agrees only with a product of 0; any other product is off by all of itself
    deviation = product / w - 1 if w else (0.0 if product == 0 else math.copysign(math.inf, product))
    figures = {"img/s": img_s, "J/img": j, "product W": product, "avg-W": w, "deviation": deviation}
    if any(math.isnan(v) for v in figures.values()):
        return "unknown", figures
    return "checked", figures


def result_files(paths, unlisted):
    """The JSON files named or under the named directories, sorted; not-run lists are not results. Each directory that
    cannot be listed goes to unlisted, an OSError naming it: the results in it would otherwise go unchecked unsaid.
    Links to directories are followed (os.walk's default leaves the results behind them unchecked unsaid); a directory
    already searched, by its device and inode, is not searched again, which ends a link's loop and keeps a result
    reached by two routes from counting twice."""
    files = []
    searched = set()
    for p in paths:
        if os.path.isdir(p):
            for d, dirs, names in os.walk(p, onerror=unlisted.append, followlinks=True):
                try:
                    st = os.stat(d)
                except OSError as e:  # gone since it was listed
                    unlisted.append(e)
                    dirs[:] = []
                    continue
                if (st.st_dev, st.st_ino) in searched:
                    dirs[:] = []
                    continue
                searched.add((st.st_dev, st.st_ino))
                dirs.sort()  # which route to a directory reached twice names its results does not depend on listing order
                files += [os.path.join(d, n) for n in names if n.endswith(".json")]
        elif os.path.isfile(p):
            files.append(p)
        else:
            raise ValueError("energy_relation.py: %s: %s" % (p, "not a file or a directory" if os.path.exists(p)
                                                            else "no such file or directory"))
    return sorted(f for f in files if not f.endswith(NOT_RUN_LIST))


def entries(path):
    """The JMH result entries of a file; none for JSON that is not a JMH result file (e.g. a Python reference). An
    OSError where the file cannot be read; a ValueError where it is not JSON, or not UTF-8 (UnicodeDecodeError)."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, list):
        return []
    return [e for e in data if isinstance(e, dict) and "primaryMetric" in e and "benchmark" in e]


def describe(path, entry):
    params = entry.get("params") or {}
    return path + " " + ",".join(k + "=" + str(params[k]) for k in sorted(params))


def percent(value):
    """--tolerance: a number of percent, with or without its '%'."""
    try:
        pct = float(value.rstrip("%"))
    except ValueError:
        pct = float("nan")
    if not math.isfinite(pct):  # float() also takes nan and inf, which no tolerance is
        raise argparse.ArgumentTypeError("%r is not a number of percent" % value)
    return pct


def main(argv):
    parser = argparse.ArgumentParser(prog="energy_relation.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tolerance", type=percent, default=DEFAULT_TOLERANCE_PCT, help="in %% (default %(default)s)")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="result files, or directories searched for *.json")
    try:
        a = parser.parse_args(argv)
    except SystemExit as e:  # argparse has printed its one-line error or the help
        return e.code
    if not a.tolerance >= 0:
        print("energy_relation.py: --tolerance must be >= 0 (in %)", file=sys.stderr)
        return 2
    tolerance, paths = a.tolerance, a.paths
    unlisted = []
    try:
        files = result_files(paths, unlisted)
    except ValueError as e:
        print(e, file=sys.stderr)
        return 2
    for e in unlisted:
        print("energy_relation.py: %s: cannot be listed (%s), its results not checked" % (e.filename, e.strerror or e),
              file=sys.stderr)
    unread = len(unlisted)
    malformed = 0
    counts = {"checked": 0, "unknown": 0, "no-energy": 0, "not-throughput": 0, "unfinished": 0}
    off = []
    for f in files:
        try:
            found = entries(f)
        except OSError as e:
            print("energy_relation.py: %s: cannot be read (%s), not checked" % (f, e.strerror or e), file=sys.stderr)
            unread += 1
            continue
        except ValueError as e:  # a damaged result file: one cut short, or overwritten in part
            print("energy_relation.py: %s: not JSON (%s), not checked" % (f, e), file=sys.stderr)
            unread += 1
            continue
        for i, e in enumerate(found, 1):
            try:
                status, fig = check(e)
            except ValueError as error:
                print("energy_relation.py: %s: result entry %d (%s) is not as JMH writes it: %s, not checked"
                      % (f, i, json.dumps(e["benchmark"]).strip('"'), error), file=sys.stderr)
                malformed += 1
                continue
            counts[status] += 1
            if status == "checked" and abs(fig["deviation"]) * 100 > tolerance:
                off.append((abs(fig["deviation"]), describe(f, e), fig))
            elif status == "unknown":
                print("unknown (NaN): " + describe(f, e))
    if not sum(counts.values()) - counts["unfinished"] + malformed and unread and unread == len(files) + len(unlisted):
        # the lines above name each file: "no JMH result in PATH" after them would read as a directory without any
        print("energy_relation.py: none of the files or directories found in %s could be read (%d, each named above), so"
              " nothing was checked" % (", ".join(paths), unread), file=sys.stderr)
        return 2
    if not sum(counts.values()) - counts["unfinished"] + malformed:
        # a wrong directory, a report's CSVs, or only benchmarks that did not finish must not read as "none disagrees"
        # files that could not be read may have held results: the line says so beside the ones that hold none
        print("energy_relation.py: no JMH result (the JSON array JMH writes with -rf json) in %s%s%s"
              % (", ".join(paths), "; %d entries of benchmarks that did not finish (*.unfinished.json) are no result"
                 % counts["unfinished"] if counts["unfinished"] else "",
                 "; %d files or directories could not be read (each named above), so nothing was checked" % unread
                 if unread else ""), file=sys.stderr)
        return 2
    off.sort(key=lambda x: -x[0])
    for _, name, fig in off:
        print("%+6.2f %%  %.5g img/s x %.5g J/img = %.5g W, avg-W %.5g W  %s"
              % (fig["deviation"] * 100, fig["img/s"], fig["J/img"], fig["product W"], fig["avg-W"], name))
    print("%d of %d results with energy disagree by more than %g %%%s; %d with a NaN figure; not checked: %d without"
          " energy, %d not in throughput mode, %d of benchmarks that did not finish, %d files or directories that could"
          " not be read, %d entries not as JMH writes them"
          % (len(off), counts["checked"] + counts["unknown"], tolerance,
             " (worst %+.2f %%)" % (off[0][2]["deviation"] * 100) if off else "", counts["unknown"],
             counts["no-energy"], counts["not-throughput"], counts["unfinished"], unread, malformed))
    if not counts["checked"]:
        # results whose figures could not be compared must not read as "none disagrees"
        print("energy_relation.py: nothing was checked: no result in %s has img/s, J/img and avg-W all known in throughput"
              " mode" % ", ".join(paths), file=sys.stderr)
        return 2
    return 2 if unread or malformed else 1 if off else 0


if __name__ == "__main__":
    # a reader that stops early (| head, for the worst results first) ends the listing as it ends cat's, without a word,
    # where Python would print a BrokenPipeError's traceback under the lines it took
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main(sys.argv[1:]))
