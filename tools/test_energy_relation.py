"""python3 -m unittest discover -s tools (run by the Maven build): energy_relation.py's check of img/s x J/img = avg-W
on hand-made entries and on the report's test fixtures (benchmarks/src/test/resources/fixtures), never on results/."""
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

import energy_relation as er

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "benchmarks", "src", "test", "resources", "fixtures")
# an H100 run of the profiler with interleave=true: 16 windows in ABBA order, 8 of them sampled
INTERLEAVED = os.path.join(ROOT, "benchmarks", "src", "test", "resources", "h100", "interleaved-tensorrt-fp16-b16.json")
RATES = [100.0, 200.0, 300.0]  # batches/s per iteration: unequal throughput
WATTS = [140.0, 150.0, 155.0]


def entry(j_per_img, watts, rates=RATES, unit="ops/s", mode="thrpt", batch=4):
    """A JMH result entry (only the fields the check reads) with the given J/img and avg-W scores."""
    return {"benchmark": "gpuenergy.bench.InferenceBenchmark.infer", "mode": mode,
            "params": {"batchSize": str(batch), "engine": "pytorch-fp32"},
            "primaryMetric": {"score": sum(rates) / len(rates), "scoreUnit": unit, "rawData": [rates]},
            "secondaryMetrics": {er.J_PER_IMG: {"score": j_per_img, "scoreUnit": "J/img"},
                                 er.AVG_W: {"score": watts, "scoreUnit": "W"}}}


def ratio_of_sums(batch=4):
    return sum(WATTS) / (sum(RATES) * batch)


def mean_of_ratios(batch=4):
    return sum(w / (r * batch) for w, r in zip(WATTS, RATES)) / len(RATES)


class CheckTest(unittest.TestCase):
    def test_the_aggregate_the_profiler_reports_agrees(self):
        status, fig = er.check(entry(ratio_of_sums(), sum(WATTS) / 3))
        self.assertEqual("checked", status)
        self.assertAlmostEqual(0.0, fig["deviation"], places=12)

    def test_the_mean_of_per_iteration_values_does_not(self):
        status, fig = er.check(entry(mean_of_ratios(), sum(WATTS) / 3))
        self.assertEqual("checked", status)
        self.assertGreater(fig["deviation"], 0.10)  # slow iterations weigh as much as fast ones

    def test_the_rate_unit_and_the_batch(self):
        per_ms = [r / 1000 for r in RATES]
        status, fig = er.check(entry(ratio_of_sums(), sum(WATTS) / 3, rates=per_ms, unit="ops/ms"))
        self.assertAlmostEqual(0.0, fig["deviation"], places=12)
        self.assertAlmostEqual(200 * 4, fig["img/s"], places=9)

    def test_nan_is_unknown_not_agreement(self):
        self.assertEqual("unknown", er.check(entry("NaN", 150.0))[0])
        self.assertEqual("unknown", er.check(entry(0.2, "NaN"))[0])

    def interleaved(self, sampled, sat_out=(330.0, 330.0), flags=(0, 1, 1, 0)):
        """An entry of interleave=true whose energy figures are those of the windows it sampled (batch 4): sat-out windows
        run at sat_out batches/s, the sampled ones at the rates of sampled."""
        rates = [sat_out[0], sampled[0], sampled[1], sat_out[1]]
        e = entry(sum(WATTS[:2]) / (sum(sampled) * 4), sum(WATTS[:2]) / 2, rates=rates)
        e["secondaryMetrics"][er.SAMPLED] = {"score": 0.5, "scoreUnit": "", "rawData": [list(flags)]}
        return e

    def test_an_interleaved_result_is_checked_with_the_throughput_of_the_windows_it_sampled(self):
        # the windows without the sampler run 10 % faster: JMH's score over all windows is not the energy figures' rate
        status, fig = er.check(self.interleaved(sampled=(300.0, 300.0)))
        self.assertEqual("checked", status)
        self.assertAlmostEqual(0.0, fig["deviation"], places=12)
        self.assertAlmostEqual(300 * 4, fig["img/s"], places=9)

    def test_an_interleaved_result_whose_sampled_windows_are_not_known_is_unknown(self):
        for flags in ((0, 1, 1), (0, 1, 2, 0), (0, 0, 0, 0)):
            with self.subTest(flags=flags):
                self.assertEqual("unknown", er.check(self.interleaved((300.0, 300.0), flags=flags))[0])

    def test_what_is_not_checked(self):
        e = entry(0.2, 150.0)
        e["secondaryMetrics"] = {}
        self.assertEqual("no-energy", er.check(e)[0])
        self.assertEqual("not-throughput", er.check(entry(0.2, 150.0, unit="ms/op", mode="avgt"))[0])


class MainTest(unittest.TestCase):
    def run_main(self, *argv):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            rc = er.main(list(argv))
        return rc, out.getvalue()

    def test_the_fixtures_agree(self):
        rc, out = self.run_main(FIXTURES)
        self.assertEqual(0, rc, out)
        self.assertIn("0 of 72 results with energy disagree by more than 0.5 %", out)

    def test_a_recorded_interleaved_run_agrees_to_the_digits_json_keeps(self):
        # over all 16 windows its img/s x J/img is 0.03 % above avg-W; over the 8 it sampled, equal
        rc, out = self.run_main(INTERLEAVED, "--tolerance", "0.000001")
        self.assertEqual(0, rc, out)
        self.assertIn("0 of 1 results with energy disagree", out)

    def test_disagreeing_results_are_listed_worst_first(self):
        w = sum(WATTS) / 3
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "run.json"), "w") as f:
                json.dump([entry(ratio_of_sums(), w), entry(ratio_of_sums() * 1.02, w, batch=4),
                           entry(mean_of_ratios(8), w, batch=8)], f)
            with open(os.path.join(d, "run.notrun.json"), "w") as f:  # a not-run list is no result
                json.dump([{"benchmark": "x", "params": {}, "reason": "r", "kind": "error"}], f)
            with open(os.path.join(d, "python-eager.json"), "w") as f:  # nor is a reference's JSON
                json.dump({"not": "a JMH result"}, f)
            rc, out = self.run_main(d, "--tolerance", "0.5")
        self.assertEqual(1, rc, out)
        lines = out.splitlines()
        self.assertEqual(3, len(lines), out)
        self.assertTrue(lines[0].startswith("+19.85 %") and "batchSize=8" in lines[0], lines[0])
        self.assertTrue(lines[1].startswith(" +2.00 %") and "batchSize=4" in lines[1], lines[1])
        self.assertEqual("2 of 3 results with energy disagree by more than 0.5 % (worst +19.85 %); 0 with a NaN figure;"
                         " not checked: 0 without energy, 0 not in throughput mode, 0 of benchmarks that did not"
                         " finish, 0 files or directories that could not be read, 0 entries not as JMH writes them", lines[2])

    def test_a_benchmark_that_did_not_finish_is_not_checked(self):
        w = sum(WATTS) / 3
        unfinished = entry(mean_of_ratios(), w)
        unfinished["environment"] = {"unfinished": "not finished: 2 of 8 measured iterations of fork 1 of 1 taken"}
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "run.json"), "w") as f:
                json.dump([entry(ratio_of_sums(), w)], f)
            with open(os.path.join(d, "run.unfinished.json"), "w") as f:
                json.dump([unfinished], f)
            rc, out = self.run_main(d)
        self.assertEqual(0, rc, out)
        self.assertEqual("0 of 1 results with energy disagree by more than 0.5 %; 0 with a NaN figure; not checked:"
                         " 0 without energy, 0 not in throughput mode, 1 of benchmarks that did not finish, 0 files or"
                         " directories that could not be read, 0 entries not as JMH writes them\n", out)

    def test_only_benchmarks_that_did_not_finish_are_bad_input_not_agreement(self):
        unfinished = entry(mean_of_ratios(), sum(WATTS) / 3)
        unfinished["environment"] = {"unfinished": "not finished: 2 of 8 measured iterations of fork 1 of 1 taken"}
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "run.unfinished.json"), "w") as f:
                json.dump([unfinished], f)
            err = io.StringIO()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                rc = er.main([d])
        self.assertEqual(2, rc)
        self.assertEqual("energy_relation.py: no JMH result (the JSON array JMH writes with -rf json) in %s; 1 entries of"
                         " benchmarks that did not finish (*.unfinished.json) are no result\n" % d, err.getvalue())

    def test_a_missing_path_is_bad_input(self):
        self.assertEqual(2, self.run_main("/no/such/results")[0])
        self.assertEqual(2, self.run_main()[0])

    def run_err(self, *argv):
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            rc = er.main(list(argv))
        return rc, err.getvalue()

    def test_a_path_that_is_neither_file_nor_directory_is_one_line_that_says_so(self):
        self.assertEqual((2, "energy_relation.py: /no/such/results: no such file or directory\n"),
                         self.run_err("/no/such/results"))
        self.assertEqual((2, "energy_relation.py: /dev/null: not a file or a directory\n"), self.run_err("/dev/null"))

    def test_a_tolerance_that_is_no_number_is_named_so(self):
        for odd in ("half", "nan", "inf%"):
            rc, err = self.run_err("--tolerance", odd, FIXTURES)
            self.assertEqual(2, rc)
            self.assertEqual("energy_relation.py: error: argument --tolerance: %r is not a number of percent" % odd,
                             err.splitlines()[-1])
        self.assertEqual(0, self.run_main("--tolerance", "0.5%", FIXTURES)[0])

    def test_paths_without_a_jmh_result_are_bad_input_not_agreement(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "summary.csv"), "w") as f:  # a report's output, not results
                f.write("model,engine\n")
            with open(os.path.join(d, "sweep-settings.json"), "w") as f:
                json.dump({"not": "a JMH result"}, f)
            err = io.StringIO()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                rc = er.main([d])
        self.assertEqual(2, rc)
        self.assertEqual("energy_relation.py: no JMH result (the JSON array JMH writes with -rf json) in %s\n" % d,
                         err.getvalue())

    def run_on(self, entries):
        """(exit code, stdout, stderr) of the check on one result file, run.json, holding entries; stderr names it
        run.json."""
        out, err = io.StringIO(), io.StringIO()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "run.json")
            with open(path, "w") as f:
                json.dump(entries, f)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                rc = er.main([path])
        return rc, out.getvalue(), err.getvalue().replace(d + os.sep, "")

    def test_an_entry_not_as_jmh_writes_it_is_one_line_of_bad_input(self):
        w = sum(WATTS) / 3
        bad_primary, bad_metric, bad_batch = entry(0.2, w), entry(0.2, w), entry(0.2, w, batch=0)
        bad_primary["primaryMetric"] = [1]
        bad_metric["secondaryMetrics"][er.J_PER_IMG] = 0.2
        # batch sizes that Python's int reads and Java's Integer.parseInt, of the suite's reader, refuses
        underscored, too_large = entry(0.2, w, batch="1_6"), entry(0.2, w, batch=2 ** 31)
        for e, says in ((bad_primary, "primaryMetric is [1]"), (bad_metric, "energy.J/img is 0.2"),
                        (bad_batch, 'batchSize "0"'), (underscored, 'batchSize "1_6"'),
                        (too_large, 'batchSize "2147483648"')):
            rc, out, err = self.run_on([entry(ratio_of_sums(), w), e])
            self.assertEqual(2, rc, out + err)
            self.assertEqual(1, len(err.splitlines()), err)
            self.assertIn("run.json: result entry 2 (gpuenergy.bench.InferenceBenchmark.infer) is not as JMH writes it: "
                          + says, err)

    def test_an_entry_not_as_jmh_writes_it_is_named_and_counted_and_the_rest_checked(self):
        w = sum(WATTS) / 3
        rc, out, err = self.run_on([entry(ratio_of_sums(), w), entry(0.2, w, batch="1_6"),
                                    entry(ratio_of_sums() * 1.02, w), entry(0.2, w, batch=0)])
        self.assertEqual(2, rc, out + err)  # not everything was checked, though one result disagrees
        self.assertEqual('energy_relation.py: run.json: result entry 2 (gpuenergy.bench.InferenceBenchmark.infer) is not'
                         ' as JMH writes it: batchSize "1_6": expected a whole number >= 1, not checked\n'
                         'energy_relation.py: run.json: result entry 4 (gpuenergy.bench.InferenceBenchmark.infer) is not'
                         ' as JMH writes it: batchSize "0": expected a whole number >= 1, not checked\n', err)
        lines = out.splitlines()
        self.assertEqual(2, len(lines), out)
        self.assertTrue(lines[0].startswith(" +2.00 %"), out)
        self.assertEqual("1 of 2 results with energy disagree by more than 0.5 % (worst +2.00 %); 0 with a NaN figure;"
                         " not checked: 0 without energy, 0 not in throughput mode, 0 of benchmarks that did not finish,"
                         " 0 files or directories that could not be read, 2 entries not as JMH writes them", lines[1])

    def test_an_avg_w_of_zero_is_a_disagreement_not_a_crash(self):
        rc, out, err = self.run_on([entry(0.2, 0.0)])
        self.assertEqual(1, rc, out + err)
        self.assertTrue(out.startswith("  +inf %"), out)

    def test_results_of_which_none_could_be_compared_are_nothing_checked_not_agreement(self):
        w = sum(WATTS) / 3
        no_energy = entry(0.2, w)
        no_energy["secondaryMetrics"] = {}
        for entries, summary in (([entry("NaN", w), entry(0.2, "NaN")], "0 of 2 results with energy disagree by more than"
                                  " 0.5 %; 2 with a NaN figure; not checked: 0 without energy, 0 not in throughput mode"),
                                 ([no_energy, entry(0.2, w, unit="ms/op", mode="avgt")], "0 of 0 results with energy"
                                  " disagree by more than 0.5 %; 0 with a NaN figure; not checked: 1 without energy, 1 not"
                                  " in throughput mode")):
            with self.subTest(summary=summary):
                rc, out, err = self.run_on(entries)
                self.assertEqual(2, rc, out + err)
                self.assertIn(summary, out.splitlines()[-1])
                self.assertEqual("energy_relation.py: nothing was checked: no result in run.json has img/s, J/img and"
                                 " avg-W all known in throughput mode\n", err)
        rc, out, err = self.run_on([entry("NaN", w), entry(ratio_of_sums(), w)])  # one compared: that one agrees
        self.assertEqual(0, rc, out + err)
        self.assertEqual("", err)

    def unread(self, damage, scandir=os.scandir):
        """(exit code, stdout, stderr) of the check on a directory holding a disagreeing result (run.json) and sub/,
        which damage(sub) spoils, with the directories listed by scandir."""
        w = sum(WATTS) / 3
        out, err = io.StringIO(), io.StringIO()
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "run.json"), "w") as f:
                json.dump([entry(ratio_of_sums() * 1.02, w)], f)
            os.mkdir(os.path.join(d, "sub"))
            damage(os.path.join(d, "sub"))
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), mock.patch("os.scandir", scandir):
                rc = er.main([d])
        return rc, out.getvalue(), err.getvalue().replace(d + os.sep, "")

    def assert_unread(self, result, says):
        rc, out, err = result
        self.assertEqual(2, rc, out + err)  # not everything was checked, though one result disagrees
        self.assertEqual(says, err)
        lines = out.splitlines()
        self.assertTrue(lines[0].startswith(" +2.00 %"), out)
        self.assertTrue(lines[1].endswith(", 0 of benchmarks that did not finish, %d files or directories that could not"
                                          " be read, 0 entries not as JMH writes them" % len(says.splitlines())), out)

    def test_a_file_that_is_not_json_is_named_and_counted_and_the_rest_checked(self):
        def damage(sub):
            with open(os.path.join(sub, "cut.json"), "w") as f:  # a result file cut short
                f.write('[{"benchmark": "gpuenergy.bench.InferenceBenchmark.infer", "mode": "thr')
            with open(os.path.join(sub, "latin1.json"), "wb") as f:
                f.write(b"\xff[]")
        self.assert_unread(self.unread(damage),
                           "energy_relation.py: sub/cut.json: not JSON (Unterminated string starting at: line 1 column"
                           " 68 (char 67)), not checked\n"
                           "energy_relation.py: sub/latin1.json: not JSON ('utf-8' codec can't decode byte 0xff in"
                           " position 0: invalid start byte), not checked\n")

    def test_a_file_that_cannot_be_read_is_named_and_counted_and_the_rest_checked(self):
        def damage(sub):
            os.symlink(os.path.join(sub, "gone"), os.path.join(sub, "run.json"))
        self.assert_unread(self.unread(damage),
                           "energy_relation.py: sub/run.json: cannot be read (No such file or directory), not checked\n")

    def test_a_directory_that_cannot_be_listed_is_named_and_counted_and_the_rest_checked(self):
        scandir = os.scandir

        def denied(path="."):  # as for a directory without read permission, which root can read all the same
            if os.path.basename(path) == "sub":
                raise PermissionError(13, "Permission denied", path)
            return scandir(path)
        self.assert_unread(self.unread(lambda sub: None, scandir=denied),
                           "energy_relation.py: sub: cannot be listed (Permission denied), its results not checked\n")

    def test_results_behind_a_link_to_a_directory_are_checked_once(self):
        w = sum(WATTS) / 3
        with tempfile.TemporaryDirectory() as d, tempfile.TemporaryDirectory() as elsewhere:
            os.mkdir(os.path.join(d, "run-1"))
            with open(os.path.join(d, "run-1", "run.json"), "w") as f:
                json.dump([entry(ratio_of_sums(), w)], f)
            with open(os.path.join(elsewhere, "run.json"), "w") as f:
                json.dump([entry(ratio_of_sums() * 1.02, w)], f)
            os.symlink(elsewhere, os.path.join(d, "h100"))  # results kept on another disk
            os.symlink(os.path.join(d, "run-1"), os.path.join(d, "latest"))  # a second route to run-1
            os.symlink(d, os.path.join(d, "run-1", "up"))  # a loop
            # in a process of its own: a walk that goes round the loop does not end
            p = subprocess.run([sys.executable, er.__file__, d], capture_output=True, text=True, timeout=60)
        self.assertEqual((1, ""), (p.returncode, p.stderr), p.stdout)
        lines = p.stdout.splitlines()
        self.assertEqual(2, len(lines), p.stdout)
        self.assertTrue(lines[0].startswith(" +2.00 %") and os.path.join(d, "h100", "run.json") in lines[0], lines[0])
        self.assertTrue(lines[1].startswith("1 of 2 results with energy disagree"), lines[1])

    def test_a_reader_that_stops_early_ends_the_listing_without_a_word(self):
        # | head: the reader has closed the pipe before the first line is written
        read, write = os.pipe()
        os.close(read)
        with os.fdopen(write, "w") as stdout:
            p = subprocess.run([sys.executable, er.__file__, FIXTURES], stdout=stdout, stderr=subprocess.PIPE, text=True,
                               timeout=60)
        self.assertEqual("", p.stderr)
        self.assertNotEqual(0, p.returncode)

    def test_the_help_says_links_are_followed(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(0, er.main(["-h"]))
        self.assertIn("Directories are searched through symbolic links to directories too", " ".join(out.getvalue().split()))

    def test_only_files_that_cannot_be_read_are_no_result(self):
        with tempfile.TemporaryDirectory() as d:
            os.symlink(os.path.join(d, "gone"), os.path.join(d, "run.json"))
            err = io.StringIO()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                rc = er.main([d])
        self.assertEqual(2, rc)
        self.assertEqual("energy_relation.py: %s: cannot be read (No such file or directory), not checked\n"
                         "energy_relation.py: none of the files or directories found in %s could be read (1, each "
                         "named above), so nothing was checked\n" % (os.path.join(d, "run.json"), d), err.getvalue())

    @staticmethod
    def beside_a_link_to_nothing(text):
        """The tool on a directory holding a.json with this text and b.json, a link to nothing: (exit code, its stderr's
        lines, the directory)."""
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "a.json"), "w") as f:
                f.write(text)
            os.symlink(os.path.join(d, "gone"), os.path.join(d, "b.json"))
            err = io.StringIO()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                rc = er.main([d])
        return rc, err.getvalue().splitlines(), d

    def test_files_that_cannot_be_read_beside_ones_without_results_are_counted(self):
        # a readable JSON file without results beside one that cannot be read: the last line says not every file was
        # read, not only that the directory holds no result
        rc, lines, d = self.beside_a_link_to_nothing("[]")
        self.assertEqual(2, rc)
        self.assertEqual(2, len(lines), lines)
        self.assertEqual("energy_relation.py: no JMH result (the JSON array JMH writes with -rf json) in %s; 1 files or "
                         "directories could not be read (each named above), so nothing was checked" % d, lines[-1])

    def test_files_of_which_none_can_be_read_are_said_so(self):
        # one that is no JSON and one behind a link to nothing: the last line says none could be read, not that the
        # directory holds no result
        rc, lines, d = self.beside_a_link_to_nothing("[{\"benchmark\"")
        self.assertEqual(2, rc)
        self.assertEqual(3, len(lines), lines)
        self.assertEqual("energy_relation.py: none of the files or directories found in %s could be read (2, each "
                         "named above), so nothing was checked" % d, lines[-1])

def java_string(path, name):
    """The value of the String constant name in the Java source under ROOT/path."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        found = re.search(r'static final String %s = "([^"]*)";' % name, f.read())
    assert found, "no String constant %s in %s" % (name, path)
    return found.group(1)


class OwnersTest(unittest.TestCase):
    """The names the check reads are defined once, in the suite's Java code: the tool's copies equal them."""

    def test_the_names_are_those_of_their_owners(self):
        labels = "profilers/src/main/java/gpuenergy/profile/EnergyLabels.java"
        self.assertEqual(java_string(labels, "J_PER_IMG"), er.J_PER_IMG)
        self.assertEqual(java_string(labels, "AVG_W"), er.AVG_W)
        self.assertEqual(java_string(labels, "SAMPLED"), er.SAMPLED)
        self.assertEqual(java_string("profilers/src/main/java/gpuenergy/profile/EnvironmentKeys.java", "UNFINISHED"),
                         er.UNFINISHED)
        self.assertEqual(java_string("benchmarks/src/main/java/gpuenergy/results/ParamNames.java", "BATCH_SIZE"),
                         er.BATCH_SIZE)
        self.assertEqual(java_string("benchmarks/src/main/java/gpuenergy/results/NotRunList.java", "SUFFIX"),
                         er.NOT_RUN_LIST)


if __name__ == "__main__":
    unittest.main()
