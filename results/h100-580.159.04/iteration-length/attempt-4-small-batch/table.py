"""Per run: img/s of each iteration, their coefficient of variation, J/img and JMH's 99.9 % interval of it.
   python3 table.py RESULT.json ..."""
import json
import statistics
import sys

print("| run | img/s mean | img/s CV % | img/s per iteration | J/img | J/img 99.9 % CI ± % | avg W |")
print("|---|---|---|---|---|---|---|")
for path in sys.argv[1:]:
    for e in json.load(open(path)):
        b = int(e["params"]["batchSize"])
        ips = [x * b for it in e["primaryMetric"]["rawData"] for x in it]
        sm = e.get("secondaryMetrics", {})
        j = sm.get("energy.J/img")
        w = sm.get("energy.avg-W")
        ci = "" if not j else "%.1f" % ((j["scoreConfidence"][1] - j["scoreConfidence"][0]) / 2 / j["score"] * 100)
        print("| %s | %.0f | %.1f | %s | %s | %s | %s |" % (
            path.rsplit("/", 1)[-1][:-5], statistics.mean(ips), statistics.stdev(ips) / statistics.mean(ips) * 100,
            " ".join("%.0f" % x for x in ips), "%.5f" % j["score"] if j else "", ci, "%.1f" % w["score"] if w else ""))
