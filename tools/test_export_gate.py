"""python3 -m unittest discover -s tools (run by the Maven build): the TensorRT numerics gate's reference files that
tools/export_models.py writes beside the ONNX: raw little-endian float32, named in the record with their SHA-256, in
the layout the suite's NumericsGate reads (skipped where torch is not installed: the exporter imports it), the
exporter's one line where this Python lacks torch or timm, and an export on the CPU with a stand-in for timm."""
import contextlib
import hashlib
import io
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import types
import unittest
from unittest import mock

import energy_window
import test_energy_window
from test_record_nvml_trace import WORKING_NVML

try:
    import torch
    import export_models
except ImportError:
    torch = None


@unittest.skipIf(torch is None, "torch is not installed")
class WriteGateTest(unittest.TestCase):
    def test_images_and_logits_are_float32_little_endian_named_with_their_sha256(self):
        x64 = torch.arange(2 * 3 * 2 * 2, dtype=torch.float64).reshape(2, 3, 2, 2) / 100
        ref = torch.tensor([[1.5, -2.25, 3.0], [0.125, 4.0, -1.0]], dtype=torch.float64)
        with tempfile.TemporaryDirectory() as d:
            base = os.path.join(d, "m")
            with export_models.written_whole(*export_models.gate_files(base).values()) as tmps:
                gate = export_models.write_gate(base, x64, ref, tmps)
            self.assertEqual((gate["images"], gate["classes"], gate["bound"]), (2, 3, export_models.BOUNDS["fp16"]))
            self.assertEqual((gate["input"], gate["logits"]), ("m-gate-input.f32", "m-gate-logits.f32"))
            with open(os.path.join(d, gate["logits"]), "rb") as f:
                logits = f.read()
            self.assertEqual(struct.unpack("<6f", logits), (1.5, -2.25, 3.0, 0.125, 4.0, -1.0))
            self.assertEqual(gate["logits_sha256"], hashlib.sha256(logits).hexdigest())
            with open(os.path.join(d, gate["input"]), "rb") as f:
                images = f.read()
            self.assertEqual(len(images), 24 * 4)
            self.assertAlmostEqual(struct.unpack_from("<f", images, 23 * 4)[0], 0.23, places=6)
            self.assertEqual(gate["input_sha256"], hashlib.sha256(images).hexdigest())

    def test_every_artifact_record_can_be_checked_by_its_sha256(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "a.bin")
            with open(path, "wb") as f:
                f.write(b"x" * (3 << 20))
            self.assertEqual(export_models.sha256(path), hashlib.sha256(b"x" * (3 << 20)).hexdigest())


# record_nvml_trace's four GPUs (NVML's GPU N at PCI bus N, a handle is the GPU's UUID), each read of a counter noted by
# its GPU
FOUR_GPU_NVML = WORKING_NVML + """
READ = []


def nvmlDeviceGetCount():
    return len(GPUS)


def nvmlDeviceGetTotalEnergyConsumption(h):
    READ.append(GPUS.index(h))
    return 1000 * len(READ)
"""


@unittest.skipIf(torch is None, "torch is not installed")
class EnergyCounterTest(unittest.TestCase):
    """The opt-* tuning measures the GPU the export runs on, as CUDA numbers it after CUDA_VISIBLE_DEVICES."""

    def counter(self, device, visible, driver):
        """(the NVML GPUs whose counter the tuning's sampler read, stderr) for an export on device with this
        CUDA_VISIBLE_DEVICES, where the CUDA driver answers CUDA's device N's PCI bus id with driver(N)."""
        nvml = types.ModuleType("pynvml")
        exec(FOUR_GPU_NVML, nvml.__dict__)
        err = io.StringIO()
        with mock.patch.dict(sys.modules, pynvml=nvml), mock.patch.dict(os.environ, CUDA_VISIBLE_DEVICES=visible), \
                mock.patch("record_nvml_trace.cuda_device_pci_bus_id", driver), contextlib.redirect_stderr(err):
            sampler = export_models.energy_counter(device)
        if sampler:
            deadline = time.monotonic() + 10
            while len(nvml.READ) < 3 and time.monotonic() < deadline:
                time.sleep(0.001)
            sampler.stop()
        return sorted(set(nvml.READ)), err.getvalue()

    @staticmethod
    def no_driver(ordinal):
        raise LookupError("libcuda.so.1 not found: cannot ask CUDA which GPU is its device %d" % ordinal)

    def test_a_gpu_named_by_uuid_in_cuda_visible_devices_is_measured(self):
        visible = "GPU-00000000-0000-0000-0000-000000000003,GPU-00000000-0000-0000-0000-000000000000"
        self.assertEqual(([0], ""), self.counter("cuda:1", visible, self.no_driver))
        self.assertEqual(([3], ""), self.counter("cuda:0", visible, self.no_driver))

    def test_a_gpu_named_by_index_is_measured_where_the_cuda_driver_puts_it(self):
        visible = {0: "0000:02:00.0", 1: "0000:00:00.0"}  # CUDA_VISIBLE_DEVICES=2,0 as the driver applies it
        self.assertEqual(([2], ""), self.counter("cuda:0", "2,0", visible.get))
        self.assertEqual(([0], ""), self.counter("cuda:1", "2,0", visible.get))
        with mock.patch.object(torch.cuda, "current_device", lambda: 1):  # "cuda": torch's current device
            self.assertEqual(([0], ""), self.counter("cuda", "2,0", visible.get))

    def test_a_gpu_that_cannot_be_told_is_said_in_one_line_and_no_gpu_is_measured(self):
        read, err = self.counter("cuda:1", "2,0", self.no_driver)
        self.assertEqual([], read, "no other GPU's counter stands for it")
        self.assertEqual(["opt-* tuning by img/s only: which NVML GPU is cuda:1 cannot be told (LookupError: libcuda.so.1"
                          " not found: cannot ask CUDA which GPU is its device 1), so no GPU's energy is measured"],
                         err.splitlines())


@unittest.skipIf(torch is None, "torch is not installed")
class TuningTest(unittest.TestCase):
    """The opt-* tuning on the CPU, its energy read from the H100 ResNet-50 trace."""

    class TraceEnergy:
        """The energy counter's changes of the recorded H100 load, each tuning window laid on the load's second second;
        in the window numbered restart_in (1, 2, ...) the counter restarts from zero halfway through (a driver reload)."""

        def __init__(self, restart_in=None):
            trace = test_energy_window.load_trace()
            self.start = next(t for t, _, phase in trace if phase == "load") + 1.0
            self.edges = test_energy_window.edges_of([(t, e) for t, e, _ in trace])
            self.restart_in, self.windows = restart_in, 0

        def joules_per_image(self, marks):
            self.windows += 1
            edges = [(t - self.start + marks[0][0], e) for t, e in self.edges]
            if self.windows == self.restart_in:
                restart = (marks[0][0] + marks[-1][0]) / 2
                at = [e for t, e in edges if t < restart][-1]
                edges = [(t, e - at if t >= restart else e) for t, e in edges]
            return energy_window.joules_per_image(edges, marks)

    def tune(self, energy):
        """best_variant's record for the tiny model, batch 16, with energy, and what it said on stderr."""
        fake = {}
        exec(FAKE_TIMM, fake)
        traced = torch.jit.trace(fake["Tiny"]().eval(), torch.rand(2, 3, 8, 8), check_trace=False)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            _, record = export_models.best_variant(traced, torch.rand(16, 3, 8, 8), 0.3, energy)
        return record, err.getvalue()

    def test_a_counter_that_goes_back_in_a_window_never_picks_its_candidate(self):
        record, err = self.tune(self.TraceEnergy())
        self.assertEqual("J/img", record["chosen_by"], "the trace gives every window its energy")
        self.assertTrue(all(v > 0 for v in record["j_per_img"].values()), record)
        self.assertEqual("", err)
        # the second window is the first round's "freeze": a negative J/img there would make it the least of all
        record, err = self.tune(self.TraceEnergy(restart_in=2))
        self.assertEqual("img/s", record["chosen_by"], record)
        self.assertNotIn("j_per_img", record)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertRegex(err, r"^opt-\* tuning by img/s only: the energy counter went back from \d+ mJ to \d+ mJ inside "
                              r"the window \(a driver reload\?\), so its energy is unknown$")


TOOLS = os.path.dirname(os.path.abspath(__file__))


def run_exporter_without(package, *argv):
    """The exporter run as a script by this Python with package made unimportable: (exit code, stdout, stderr)."""
    code = ("import runpy, sys; sys.path.insert(0, %r); sys.modules[%r] = None; sys.argv = ['export_models.py'] + %r; "
            "runpy.run_path(%r, run_name='__main__')") % (TOOLS, package, list(argv),
                                                          os.path.join(TOOLS, "export_models.py"))
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


class MissingPackageTest(unittest.TestCase):
    def test_a_python_without_torch_gets_one_line(self):
        with tempfile.TemporaryDirectory() as d:
            rc, out, err = run_exporter_without("torch", "--models", "resnet50", "--out", d)
        self.assertNotEqual(0, rc)
        self.assertEqual("", out)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertIn("cannot import torch, which the export needs", err)

    def test_the_help_and_a_malformed_command_line_need_no_torch(self):
        rc, out, err = run_exporter_without("torch", "--help")
        self.assertEqual((0, ""), (rc, err))
        self.assertTrue(out.startswith("usage: export_models.py [-h] --models MODELS"), out)
        self.assertIn("a torch device (default: cuda where torch sees a GPU, else cpu)", " ".join(out.split()))
        rc, out, err = run_exporter_without("torch", "--formats", "fp32")
        self.assertEqual(2, rc, out + err)
        self.assertEqual("export_models.py: error: the following arguments are required: --models", err.splitlines()[-1])

    @unittest.skipIf(torch is None, "torch is not installed")
    def test_a_python_without_timm_gets_one_line_before_any_export(self):
        with tempfile.TemporaryDirectory() as d:
            rc, out, err = run_exporter_without("timm", "--models", "resnet50", "--formats", "fp32", "--out",
                                                os.path.join(d, "models"))
            self.assertEqual([], os.listdir(d))  # not even the models directory
        self.assertNotEqual(0, rc)
        self.assertEqual("", out)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertIn("cannot import timm, which the export needs", err)

    @unittest.skipIf(torch is None, "torch is not installed")
    def test_a_wrong_option_is_said_as_such_where_timm_is_missing_too(self):
        with tempfile.TemporaryDirectory() as d:
            rc, out, err = run_exporter_without("timm", "--models", "resnet50", "--formats", "fp64", "--out", d)
        self.assertEqual(2, rc, out + err)
        self.assertIn("--formats: unknown format 'fp64'", err.splitlines()[-1])


# timm as far as the exporter uses it: create_model of one tiny network, and timm's error for an id it does not know
FAKE_TIMM = """
import torch
__version__ = "test"


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.pretrained_cfg = {"input_size": (3, 8, 8)}
        self.conv = torch.nn.Conv2d(3, 4, 3)
        self.fc = torch.nn.Linear(4, 5)

    def forward(self, x):
        return self.fc(self.conv(x).mean((2, 3)))


def create_model(name, pretrained=False):
    if name != "tiny":
        raise RuntimeError("Unknown model (%s)" % name)
    return Tiny()
"""


@unittest.skipIf(torch is None, "torch is not installed")
class ExportTest(unittest.TestCase):
    def export(self, out, *argv, prelude="", tools=TOOLS):
        """The exporter in the directory tools run as a script on the CPU with FAKE_TIMM, after the Python code prelude
        (which may make a write fail): (exit code, stdout, stderr)."""
        script = os.path.join(tools, "export_models.py")
        code = "%s\nimport runpy, sys; sys.path.insert(0, %r); sys.argv = [%r] + %r; runpy.run_path(%r, run_name='__main__')" % (
            prelude, tools, script, ["--device", "cpu", "--out", out] + list(argv), script)
        with tempfile.TemporaryDirectory() as fake:
            with open(os.path.join(fake, "timm.py"), "w") as f:
                f.write(FAKE_TIMM)
            env = dict(os.environ, PYTHONPATH=fake)
            p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
        return p.returncode, p.stdout, p.stderr

    def files(self, d):
        """Every file under d, by its path relative to d, with its bytes."""
        found = {}
        for root, _, names in os.walk(d):
            for n in names:
                with open(os.path.join(root, n), "rb") as f:
                    found[os.path.relpath(os.path.join(root, n), d)] = f.read()
        return found

    def test_a_model_timm_does_not_know_is_listed_and_the_others_are_exported(self):
        with tempfile.TemporaryDirectory() as d:
            rc, out, err = self.export(d, "--models", "resnt50,tiny", "--formats", "fp32")
            self.assertEqual(1, rc, out + err)
            self.assertNotIn("Traceback", err)
            self.assertIn("resnt50: not exported: RuntimeError: Unknown model (resnt50)", err)
            with open(os.path.join(d, "tiny", "tiny.json")) as f:
                self.assertTrue(json.load(f)["artifacts"]["fp32"]["passed"])

    def test_options_that_can_export_nothing_are_refused_in_one_line_before_anything_is_written(self):
        # the exporter's run starts with --device cpu, which a later --device overrides
        for argv, says in ((["--device", "foo"], "--device 'foo' is not a torch device (RuntimeError: "),
                           (["--formats", "fp16"], "--formats fp16: fp16 artifacts are exported and checked on a CUDA "
                                                   "device, not --device cpu"),
                           (["--formats", "fp32,opt-fp16"], "--formats opt-fp16: fp16 artifacts"),
                           (["--formats", ","], "--formats names no format; accepted: fp32, fp16, opt-fp32, opt-fp16, onnx"),
                           (["--formats", ""], "--formats names no format"),
                           (["--formats", "fp32,pt"], "--formats: unknown format 'pt'; accepted: fp32,"),
                           (["--check-batch", "0"], "--check-batch and --tune-batch must be >= 1 (got 0, 128)"),
                           (["--tune-seconds", "nan"], "--tune-seconds must be a finite number > 0 (got nan)"),
                           (["--models", ","], "--models names no model")):
            with self.subTest(argv=argv), tempfile.TemporaryDirectory() as d:
                rc, out, err = self.export(d, "--models", "tiny", *argv)
                self.assertEqual(2, rc, out + err)
                self.assertNotIn("Traceback", err)
                self.assertEqual("", out)
                self.assertTrue(err.splitlines()[-1].startswith("export_models.py: error: " + says), err)
                self.assertEqual({}, self.files(d), "nothing written")

    def test_an_out_that_cannot_hold_the_models_is_refused_once_before_any_model_is_made(self):
        with tempfile.TemporaryDirectory() as d:
            afile = os.path.join(d, "afile")
            with open(afile, "w") as f:
                f.write("kept")
            for out, says in ((afile, "--out %s is a file, not a models directory" % afile),
                              (os.path.join(afile, "models"), "--out %s/models cannot be made (Not a directory)" % afile)):
                with self.subTest(out=out):
                    rc, stdout, err = self.export(out, "--models", "tiny,resnt50", "--formats", "fp32")
                    self.assertEqual(2, rc, stdout + err)
                    self.assertEqual("", stdout)  # no model started
                    self.assertEqual("export_models.py: error: " + says, err.splitlines()[-1])
                    self.assertEqual({"afile": b"kept"}, self.files(d))

    def test_a_model_or_format_named_twice_is_exported_once_in_the_order_first_named(self):
        with tempfile.TemporaryDirectory() as d:
            rc, out, err = self.export(d, "--models", "tiny,resnt50,tiny", "--formats", "opt-fp32,fp32,opt-fp32",
                                       "--tune-seconds", "0.05")
            self.assertEqual(1, rc, out + err)  # resnt50: timm does not know it
            said = [line.split()[:2] for line in out.splitlines() if not line.startswith(" ")]  # opt-fp32: tuning, numerics
            self.assertEqual([["tiny:", "start"], ["tiny", "opt-fp32"], ["tiny", "opt-fp32"], ["tiny", "fp32"],
                              ["resnt50:", "start"], ["resnt50", "FAILED:"]], said, out)
            self.assertEqual(1, err.count("resnt50: not exported"), err)

    def test_models_catalog_without_the_catalog_is_refused_in_one_line(self):
        # tools/ copied to a machine without the suite's checkout: no benchmarks/src/main/resources/catalog.csv beside it
        with tempfile.TemporaryDirectory() as copy, tempfile.TemporaryDirectory() as d:
            tools = os.path.join(copy, "tools")
            os.mkdir(tools)
            for n in os.listdir(TOOLS):
                if n.endswith(".py") and not n.startswith("test_"):
                    shutil.copy(os.path.join(TOOLS, n), tools)
            rc, out, err = self.export(d, "--models", "catalog", "--formats", "fp32", tools=tools)
            self.assertEqual(2, rc, out + err)
            self.assertEqual("", out)
            self.assertEqual("export_models.py: error: --models catalog: %s is not there; name the models"
                             % os.path.join(copy, "benchmarks", "src", "main", "resources", "catalog.csv"),
                             err.splitlines()[-1])
            self.assertEqual({}, self.files(d), "nothing written")

    def test_a_damaged_record_is_replaced_and_a_sound_one_keeps_its_other_artifacts(self):
        with tempfile.TemporaryDirectory() as d:
            record = os.path.join(d, "tiny", "tiny.json")
            os.makedirs(os.path.dirname(record))
            for damaged in ("not json", "[]", '{"name": "tiny"}'):
                with open(record, "w") as f:
                    f.write(damaged)
                rc, out, err = self.export(d, "--models", "tiny", "--formats", "fp32")
                self.assertEqual(0, rc, out + err)
                self.assertIn("tiny.json: replaced, keeping no earlier artifact's record", err)
                with open(record) as f:
                    self.assertTrue(json.load(f)["artifacts"]["fp32"]["passed"])
            with open(record) as f:
                sound = json.load(f)
            sound["artifacts"]["onnx"] = dict(sound["artifacts"]["fp32"], file="tiny.onnx")
            with open(record, "w") as f:
                json.dump(sound, f)
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "fp32")
            self.assertEqual(0, rc, out + err)
            self.assertEqual("", err)
            with open(record) as f:
                self.assertEqual(["fp32", "onnx"], sorted(json.load(f)["artifacts"]))

    # A write that fails midway: part of the file written, then the error a full disk gives
    FAIL_SAVE = ("import torch\n"
                 "def save(self, path, **kwargs):\n"
                 "    with open(path, 'wb') as f:\n"
                 "        f.write(b'part of a TorchScript file')\n"
                 "    raise OSError(28, 'No space left on device')\n"
                 "torch.jit.ScriptModule.save = save")
    FAIL_RECORD = ("import json\n"
                   "def dump(obj, f, **kwargs):\n"
                   "    f.write('{\"name\": ')\n"
                   "    raise OSError(28, 'No space left on device')\n"
                   "json.dump = dump")

    def test_an_artifact_whose_write_fails_midway_leaves_the_earlier_file_or_none(self):
        with tempfile.TemporaryDirectory() as d:
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "fp32", prelude=self.FAIL_SAVE)
            self.assertEqual(1, rc, out + err)
            self.assertIn("tiny fp32: export failed: OSError: [Errno 28] No space left on device", err)
            self.assertEqual(["tiny/tiny.json"], sorted(self.files(d)), "no part of the artifact, under any name")
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "fp32")
            self.assertEqual(0, rc, out + err)
            before = self.files(d)
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "fp32", prelude=self.FAIL_SAVE)
            self.assertEqual(1, rc, out + err)
            after = self.files(d)
            self.assertEqual(sorted(before), sorted(after), "no part of the artifact, under any name")
            self.assertEqual(before["tiny/tiny-fp32.pt"], after["tiny/tiny-fp32.pt"], "the earlier artifact as it was")
            self.assertEqual(json.loads(before["tiny/tiny.json"])["artifacts"], json.loads(after["tiny/tiny.json"])["artifacts"],
                             "its record as it was")

    # Ctrl-C while the opt-* candidates are made, after the artifacts before it are renamed into place
    INTERRUPT_TUNING = ("import torch\n"
                        "def freeze(*args, **kwargs):\n"
                        "    raise KeyboardInterrupt\n"
                        "torch.jit.freeze = freeze")
    # the artifact's check fails after it is written whole (a load that fails, a CUDA out-of-memory error)
    FAIL_LOAD = ("import torch\n"
                 "def load(*args, **kwargs):\n"
                 "    raise RuntimeError('CUDA out of memory')\n"
                 "torch.jit.load = load")

    def assert_record_names_the_files(self, d):
        """Each artifact in the model's record is on disk with the SHA-256 the record names, and no temporary is left."""
        found = self.files(d)
        record = json.loads(found["tiny/tiny.json"])
        for fmt, rec in record["artifacts"].items():
            self.assertEqual(rec["sha256"], hashlib.sha256(found["tiny/" + rec["file"]]).hexdigest(), fmt)
        self.assertEqual(sorted("tiny/" + r["file"] for r in record["artifacts"].values()) + ["tiny/tiny.json"],
                         sorted(found), "no artifact without its record, no temporary")
        return record

    def test_an_export_stopped_midway_leaves_each_artifact_done_named_in_the_record(self):
        with tempfile.TemporaryDirectory() as d:
            argv = ("--models", "tiny", "--formats", "fp32,opt-fp32", "--tune-seconds", "0.05")
            rc, out, err = self.export(d, *argv, prelude=self.INTERRUPT_TUNING)
            self.assertEqual(130, rc, out + err)
            self.assertEqual([self.STOPPED], err.splitlines())
            self.assertEqual(["fp32"], sorted(self.assert_record_names_the_files(d)["artifacts"]))
            rc, out, err = self.export(d, *argv, prelude=self.INTERRUPT_TUNING)  # again, over the first export's
            self.assertNotEqual(0, rc, out + err)
            self.assertEqual(["fp32"], sorted(self.assert_record_names_the_files(d)["artifacts"]))

    STOPPED = ("export_models.py: stopped; each artifact exported before is named in its model's record, the one under way"
               " is not written")
    # a write that takes long enough to be killed in: part of the file written, then a wait
    SLOW_SAVE = ("import time, torch\n"
                 "def save(self, path, **kwargs):\n"
                 "    with open(path, 'wb') as f:\n"
                 "        f.write(b'part of a TorchScript file')\n"
                 "    time.sleep(120)\n"
                 "torch.jit.ScriptModule.save = save")

    def test_an_export_killed_midway_leaves_no_temporary_and_says_so_in_one_line(self):
        with tempfile.TemporaryDirectory() as d, tempfile.TemporaryDirectory() as fake:
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "fp32")
            self.assertEqual(0, rc, out + err)
            before = self.files(d)
            with open(os.path.join(fake, "timm.py"), "w") as f:
                f.write(FAKE_TIMM)
            script = os.path.join(TOOLS, "export_models.py")
            code = "%s\nimport runpy, sys; sys.path.insert(0, %r); sys.argv = [%r] + %r; runpy.run_path(%r, run_name='__main__')" % (
                self.SLOW_SAVE, TOOLS, script, ["--device", "cpu", "--out", d, "--models", "tiny", "--formats", "fp32"],
                script)
            p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=dict(os.environ, PYTHONPATH=fake))
            with p:
                deadline = time.monotonic() + 120
                while not any(n.endswith(".partial") for n in os.listdir(os.path.join(d, "tiny"))):
                    self.assertLess(time.monotonic(), deadline, "the artifact's write did not start")
                    self.assertIsNone(p.poll(), p.poll())
                    time.sleep(0.05)
                p.send_signal(signal.SIGTERM)
                out, err = p.communicate(timeout=60)
            self.assertEqual(130, p.returncode, out + err)
            self.assertEqual([self.STOPPED], err.splitlines())
            self.assertEqual(before, self.files(d), "the earlier artifact and record as they were, no temporary")

    def test_an_artifact_whose_check_fails_leaves_the_earlier_file_under_its_record(self):
        with tempfile.TemporaryDirectory() as d:
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "fp32")
            self.assertEqual(0, rc, out + err)
            before = self.files(d)
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "fp32", prelude=self.FAIL_LOAD)
            self.assertEqual(1, rc, out + err)
            self.assertIn("tiny fp32: export failed: RuntimeError: CUDA out of memory", err)
            self.assert_record_names_the_files(d)
            self.assertEqual(before["tiny/tiny-fp32.pt"], self.files(d)["tiny/tiny-fp32.pt"], "the earlier artifact")

    def test_a_record_whose_write_fails_midway_stays_as_it_was(self):
        with tempfile.TemporaryDirectory() as d:
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "fp32")
            self.assertEqual(0, rc, out + err)
            record = self.files(d)["tiny/tiny.json"]
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "fp32", prelude=self.FAIL_RECORD)
            self.assertEqual(1, rc, out + err)
            self.assertIn("tiny: not exported: OSError: [Errno 28] No space left on device", err)
            self.assertEqual(["tiny/tiny-fp32.pt", "tiny/tiny.json"], sorted(self.files(d)))
            self.assertEqual(record, self.files(d)["tiny/tiny.json"])

    # an export whose artifact is off by a factor of two: the numerics gate refuses it (relative error 1)
    OFF_BY_TWO = ("import torch\n"
                  "_load = torch.jit.load\n"
                  "class Doubled(torch.nn.Module):\n"
                  "    def __init__(self, m):\n"
                  "        super().__init__()\n"
                  "        self.m = m\n"
                  "    def forward(self, x):\n"
                  "        return 2 * self.m(x)\n"
                  "torch.jit.load = lambda *args, **kwargs: Doubled(_load(*args, **kwargs))")
    # the ONNX export on this torch, checked by a stand-in for onnxruntime that runs the tiny model (seed 0, as the
    # exporter draws it) SCALE times over: torch 1.13's exporter takes no dynamo argument, and this Python may lack
    # onnxruntime
    ONNX = ("import sys, types, numpy, torch\n"
            "_export = torch.onnx.export\n"
            "def export(*args, dynamo=False, **kwargs):\n"
            "    return _export(*args, **kwargs)\n"
            "torch.onnx.export = export\n"
            "class InferenceSession:\n"
            "    def __init__(self, path, providers):\n"
            "        open(path, 'rb').close()\n"
            "    def run(self, names, feeds):\n"
            "        import timm\n"
            "        torch.manual_seed(0)\n"
            "        with torch.no_grad():\n"
            "            out = SCALE * timm.create_model('tiny')(torch.from_numpy(feeds['input']))\n"
            "        return [numpy.array(out.tolist(), dtype='float32')]\n"
            "sys.modules['onnxruntime'] = types.SimpleNamespace(InferenceSession=InferenceSession)\n"
            "SCALE = %s\n")
    # the gate's logits (the tiny model's 5 classes) cannot be written, a full disk, after its images are
    FAIL_GATE_LOGITS = ("import torch\n"
                        "_numpy = torch.Tensor.numpy\n"
                        "def tensor_numpy(self, *args, **kwargs):\n"
                        "    if self.dim() == 2 and self.shape[1] == 5:\n"
                        "        raise OSError(28, 'No space left on device')\n"
                        "    return _numpy(self, *args, **kwargs)\n"
                        "torch.Tensor.numpy = tensor_numpy")

    def test_an_artifact_beyond_its_bound_leaves_the_earlier_one_and_its_record_as_they_were(self):
        for fmt, passing, off in (("fp32", "", self.OFF_BY_TWO), ("onnx", self.ONNX % 1, self.ONNX % 2)):
            with self.subTest(fmt=fmt), tempfile.TemporaryDirectory() as d:
                rc, out, err = self.export(d, "--models", "tiny", "--formats", fmt, prelude=passing)
                self.assertEqual(0, rc, out + err)
                before = self.files(d)
                rc, out, err = self.export(d, "--models", "tiny", "--formats", fmt, prelude=off)
                self.assertEqual(1, rc, out + err)
                self.assertIn("REFUSED", out)
                self.assertIn("tiny %s: relative error 1.00e+00 exceeds the fp32 bound 5e-03" % fmt, err)
                self.assertEqual(before, self.files(d), "the earlier artifact, its gate files and record as they were")

    def test_an_onnx_beyond_its_bound_leaves_no_file_of_it(self):
        with tempfile.TemporaryDirectory() as d:
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "onnx", prelude=self.ONNX % 2)
            self.assertEqual(1, rc, out + err)
            self.assertEqual(["tiny/tiny.json"], sorted(self.files(d)), "no ONNX, no gate file")
            self.assertEqual({}, json.loads(self.files(d)["tiny/tiny.json"])["artifacts"])
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "onnx", prelude=self.ONNX % 1)
            self.assertEqual(0, rc, out + err)
            self.assert_record_names_the_files_and_gate(d)

    def test_an_onnx_whose_gate_files_fail_midway_leaves_the_earlier_files_under_their_record(self):
        with tempfile.TemporaryDirectory() as d:
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "onnx", prelude=self.ONNX % 1)
            self.assertEqual(0, rc, out + err)
            before = self.files(d)
            # other images than the earlier export's: a gate file written anew differs from the one the record names
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "onnx", "--check-batch", "4",
                                       prelude=self.ONNX % 1 + self.FAIL_GATE_LOGITS)
            self.assertEqual(1, rc, out + err)
            self.assertIn("tiny onnx: export failed: OSError: [Errno 28] No space left on device", err)
            self.assert_record_names_the_files_and_gate(d)
            self.assertEqual(before, self.files(d), "the earlier ONNX, gate files and record, and no temporary")

    def assert_record_names_the_files_and_gate(self, d):
        """Each file the ONNX's record and its gate name is on disk with the SHA-256 they name, and no other file is."""
        found = self.files(d)
        onnx = json.loads(found["tiny/tiny.json"])["artifacts"]["onnx"]
        gate = onnx["gate"]
        named = {onnx["file"]: onnx["sha256"], gate["input"]: gate["input_sha256"], gate["logits"]: gate["logits_sha256"]}
        self.assertEqual(sorted(["tiny/tiny.json"] + ["tiny/" + f for f in named]), sorted(found))
        for f, digest in named.items():
            self.assertEqual(digest, hashlib.sha256(found["tiny/" + f]).hexdigest(), f)

    def test_a_later_export_whose_seed_or_input_size_differs_from_the_record_is_refused_and_writes_nothing(self):
        with tempfile.TemporaryDirectory() as d:
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "fp32")
            self.assertEqual(0, rc, out + err)
            record = os.path.join(d, "tiny", "tiny.json")
            before = self.files(d)
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "opt-fp32", "--seed", "1")
            self.assertEqual(1, rc, out + err)
            self.assertNotIn("Traceback", err)
            refusal = [l.strip() for l in err.splitlines() if l.strip().startswith("tiny:")]
            self.assertEqual(["tiny: not exported: " + record + " records seed 0 (this export's: 1): its artifacts fp32 "
                              "were exported so, and the record is one for all; export with its values, or remove "
                              + os.path.dirname(record) + " to export anew"], refusal, err)
            self.assertEqual(before, self.files(d), "nothing written")
            with open(record) as f:
                edited = json.load(f)
            edited["input_size"] = [3, 16, 16]
            with open(record, "w") as f:
                json.dump(edited, f)
            rc, out, err = self.export(d, "--models", "tiny", "--formats", "opt-fp32")
            self.assertEqual(1, rc, out + err)
            self.assertIn(record + " records input_size [3, 16, 16] (this export's: [3, 8, 8]): its artifacts fp32", err)
            with open(record) as f:
                self.assertEqual(edited, json.load(f))
            self.assertFalse(os.path.exists(os.path.join(d, "tiny", "tiny-opt-fp32.pt")))


if __name__ == "__main__":
    unittest.main()
