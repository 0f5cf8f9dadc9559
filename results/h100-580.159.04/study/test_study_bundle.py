"""python3 -m unittest discover -s results/h100-580.159.04/study: study.sh leaves at most 8 entries in $OUT, on
every exit (the device hands back at most 8)."""
import os
import subprocess
import tarfile
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
STUDY = os.path.join("results", "h100-580.159.04", "study", "study.sh")


def run_study(out):
    """study.sh as far as its first exit: PYTHON=false makes tools/gpu-env.sh fail before anything runs."""
    env = dict(os.environ, OUT=out, JNI="", PYTHON="false", JAVA="java", JAR="none.jar", MODELS="resnet50")
    return subprocess.run(["bash", STUDY], cwd=ROOT, env=env, capture_output=True, text=True)


def make(out, names):
    for n in names:
        with open(os.path.join(out, n), "w") as f:
            f.write(n)


class BundleTest(unittest.TestCase):
    def setUp(self):
        self.out = tempfile.mkdtemp()

    def archived(self):
        with tarfile.open(os.path.join(self.out, "call-files.tgz")) as t:
            return sorted(os.path.basename(m.name) for m in t.getmembers() if m.isfile())

    def test_eight_entries_stay_as_they_are(self):
        names = ["sweep.tgz"] + ["gpu-%d.txt" % i for i in range(7)]
        make(self.out, names)
        self.assertNotEqual(0, run_study(self.out).returncode)
        self.assertEqual(sorted(names), sorted(os.listdir(self.out)))

    def test_over_eight_on_an_early_exit_everything_but_the_sweep_goes_into_one_archive(self):
        logs = ["log-%d.txt" % i for i in range(9)]
        make(self.out, ["sweep.tgz"] + logs)
        self.assertNotEqual(0, run_study(self.out).returncode)
        self.assertEqual(["call-files.tgz", "sweep.tgz"], sorted(os.listdir(self.out)))
        self.assertEqual(logs, self.archived())

    def test_a_second_call_adds_to_the_archive_without_nesting_it(self):
        first = ["a-%d.txt" % i for i in range(9)]
        make(self.out, ["sweep.tgz"] + first)
        run_study(self.out)
        second = ["b-%d.txt" % i for i in range(7)]
        make(self.out, second)
        run_study(self.out)
        self.assertEqual(["call-files.tgz", "sweep.tgz"], sorted(os.listdir(self.out)))
        self.assertEqual(sorted(first + second), self.archived())


if __name__ == "__main__":
    unittest.main()
