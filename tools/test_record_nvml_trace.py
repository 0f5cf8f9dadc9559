"""python3 -m unittest discover -s tools (run by the Maven build): record_nvml_trace.py's one line where it cannot
record, and which GPU it records and runs its load on, with stand-ins for pynvml, timm and torch (no GPU, no NVIDIA
driver needed)."""
import contextlib
import ctypes
import functools
import io
import os
import stat
import subprocess
import sys
import tempfile
import time
import types
import unittest
from unittest import mock

import record_nvml_trace

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "record_nvml_trace.py")

# four GPUs, NVML's GPU N at PCI bus N; a handle is the GPU's UUID
WORKING_NVML = """
GPUS = ["GPU-00000000-0000-0000-0000-00000000000%d" % i for i in range(4)]


class NVMLError(Exception):
    pass


def nvmlInit():
    pass


def nvmlDeviceGetHandleByIndex(i):
    if i >= len(GPUS):
        raise NVMLError("Invalid Argument")
    return GPUS[i]


def nvmlDeviceGetHandleByUUID(uuid):
    if uuid not in GPUS:
        raise NVMLError("Not Found")
    return uuid


def nvmlDeviceGetHandleByPciBusId(bus_id):
    assert bus_id == "00000000:%02X:00.0" % int(bus_id.split(":")[1], 16), bus_id  # NVML's form
    return nvmlDeviceGetHandleByIndex(int(bus_id.split(":")[1], 16))


def nvmlDeviceGetUUID(h):
    return h
"""

# what a trace's reads and its header need
RECORDING_NVML = WORKING_NVML + """

class _Value:
    uiVal = 300000


class _Field:
    nvmlReturn = 0
    value = _Value()


def nvmlDeviceGetTotalEnergyConsumption(h):
    return 1000


def nvmlDeviceGetFieldValues(h, fields):
    return [_Field()]


def nvmlDeviceGetName(h):
    return b"fake GPU " + h[-1:].encode()


def nvmlSystemGetDriverVersion():
    return "580.159.04"


def nvmlDeviceGetEnforcedPowerLimit(h):
    return 700000
"""

# timm's model as far as the load uses it; CALL is the body of its __call__
MODEL = """
import os


class _Model:
    batches = 0

    def eval(self):
        return self

    cuda = half = eval

    def to(self, **kwargs):
        return self

    def __call__(self, x):
CALL
"""

# a model that runs, and says which GPUs its process was given
RUNNING_LOAD_TIMM = MODEL.replace("CALL", "        pass") + """

def create_model(name, pretrained=False):
    with open(os.environ["LOAD_SAW"], "w") as f:
        f.write(os.environ.get("CUDA_VISIBLE_DEVICES", "(unset)"))
    return _Model()
"""

# timm of a load that cannot start; without torch the load stops at importing it, also before "ready"
UNKNOWN_MODEL_TIMM = """
def create_model(name, pretrained=False):
    raise RuntimeError("Unknown model (%s)" % name)
"""

# torch as far as the load uses it, without a GPU
FAKE_TORCH = """
import contextlib
channels_last = float16 = None
inference_mode = contextlib.nullcontext


class _Tensor:
    def to(self, **kwargs):
        return self


def rand(*shape, **kwargs):
    return _Tensor()


class backends:
    class cudnn:
        benchmark = False


class cuda:
    @staticmethod
    def synchronize():
        pass
"""

# a model that runs its 20 warm-up batches, so that the load starts, and fails at the first measured one
FAILING_LOAD_TIMM = MODEL.replace("CALL", """        self.batches += 1
        if self.batches > 20:
            raise RuntimeError("CUDA error: an illegal memory access was encountered")""") + """

def create_model(name, pretrained=False):
    return _Model()
"""

# a model that runs its 20 warm-up batches and hangs in the first measured one, after writing its process id to LOAD_SAW;
# it hangs for 30 s, not for ever, so that a recorder that waits for it unbounded ends, with a trace, and no load is left
HANGING_LOAD_TIMM = MODEL.replace("CALL", """        self.batches += 1
        if self.batches > 20:
            with open(os.environ["LOAD_SAW"], "w") as f:
                f.write(str(os.getpid()))
            import time
            time.sleep(30)""") + """

def create_model(name, pretrained=False):
    return _Model()
"""

# a model that runs, and whose load ends at once after it says it is ready (as one the out-of-memory killer takes in the
# idle phase before the load phase)
ENDS_WHEN_READY_TIMM = RUNNING_LOAD_TIMM + """

def _write_then_end(fd, data):
    written = _write(fd, data)
    if data == b"ready\\n":
        os._exit(9)
    return written


_write, os.write = os.write, _write_then_end
"""

# a model that runs, whose libraries print on stdout as they are imported (in Python and in C) and as the model is made
CHATTY_LOAD_TIMM = """
import os
print("timm: 1200 models registered")
os.write(1, b"libplugin.so: loaded\\n")
""" + RUNNING_LOAD_TIMM + """
_create_model = create_model


def create_model(name, pretrained=False):
    print("creating", name)
    return _create_model(name, pretrained)
"""

# a model whose creation hangs (as CUDA's set-up or a cold cache can), after writing its process id to LOAD_SAW: the load
# never says it is ready; for 30 s, not for ever, so that a recorder that waits for it unbounded ends, and no load is left
HANGING_START_TIMM = """
import os, time


def create_model(name, pretrained=False):
    with open(os.environ["LOAD_SAW"], "w") as f:
        f.write(str(os.getpid()))
    time.sleep(30)
    raise RuntimeError("the recorder waited for the load's start")
"""


# a GPU without the total-energy counter (NVML's Not Supported)
NO_COUNTER_NVML = RECORDING_NVML + """

def nvmlDeviceGetTotalEnergyConsumption(h):
    raise NVMLError("Not Supported")
"""

# a counter whose sixth value cannot be written: the trace is interrupted (Ctrl-C) while its rows are written
INTERRUPTED_WRITE_NVML = RECORDING_NVML + """

class _Mj:
    made = 0

    def __init__(self):
        _Mj.made += 1
        self.n = _Mj.made

    def __index__(self):
        if self.n == 6:
            raise KeyboardInterrupt
        return 1000


def nvmlDeviceGetTotalEnergyConsumption(h):
    return _Mj()
"""

# a counter that fails at its tenth read: the GPU fell off the bus while recording
FAILING_READ_NVML = RECORDING_NVML + """
_reads = []


def nvmlDeviceGetTotalEnergyConsumption(h):
    _reads.append(1)
    if len(_reads) >= 10:
        raise NVMLError("GPU is lost")
    return 1000
"""


def record(pynvml, timm=UNKNOWN_MODEL_TIMM, torch=None, args=("--gpu", "0"), cuda_visible_devices=None, out="trace.csv",
           umask=None, trace_mode=None, linked=None):
    """The recorder run with these pynvml and timm modules (and torch, where given), for 0.1 s of load and idle, writing
    to out (relative to a new directory), under umask where given: (exit code, stdout, stderr, the trace's first line or
    None where none was written, the CUDA_VISIBLE_DEVICES that the load's process had, or None where the load did not
    say). The trace's permission bits go to the list trace_mode where given. Where linked is a list, out is a symbolic
    link to kept/trace.csv, an earlier trace, and what is there after the run goes to it: whether out is a link still,
    the file it names' first line, and the files in kept. A file the recorder left in that directory
    beside the trace fails the test. The recorder runs with ResourceWarning as an error: a file it leaves open, or a
    load it leaves unreaped, is a line on its stderr ("Exception ignored ... ResourceWarning: unclosed file",
    "subprocess N is still running"), which the tests' one line or empty stderr refuses."""
    with tempfile.TemporaryDirectory() as fake:
        for name, text in (("pynvml", pynvml), ("timm", timm), ("torch", torch)):
            if text is None:
                continue
            with open(os.path.join(fake, name + ".py"), "w") as f:
                f.write(text)
        env = dict(os.environ, PYTHONPATH=fake, LOAD_SAW=os.path.join(fake, "load-saw.txt"),
                   PYTHONWARNINGS="error::ResourceWarning")
        env.pop("CUDA_VISIBLE_DEVICES", None)
        if cuda_visible_devices is not None:
            env["CUDA_VISIBLE_DEVICES"] = cuda_visible_devices
        if linked is not None:
            os.mkdir(os.path.join(fake, "kept"))
            with open(os.path.join(fake, "kept", "trace.csv"), "w") as f:
                f.write("# an earlier trace\n")
            os.symlink(os.path.join("kept", "trace.csv"), os.path.join(fake, out))
        before = set(os.listdir(fake))
        p = subprocess.run([sys.executable, SCRIPT, "--out", os.path.join(fake, out), "--model", "nosuchmodel",
                            "--idle", "0.1", "--load", "0.1", *args],
                           capture_output=True, text=True, env=env, timeout=120,
                           preexec_fn=None if umask is None else lambda: os.umask(umask))
        left = set(os.listdir(fake)) - before - {"trace.csv", "load-saw.txt", "__pycache__"}
        assert not left, "the recorder left %s" % sorted(left)
        header = load_saw = None
        if os.path.exists(os.path.join(fake, "trace.csv")):
            with open(os.path.join(fake, "trace.csv")) as f:
                header = f.readline().strip()
            if trace_mode is not None:
                trace_mode.append(stat.S_IMODE(os.stat(os.path.join(fake, "trace.csv")).st_mode))
        if linked is not None:
            with open(os.path.join(fake, "kept", "trace.csv")) as f:
                linked.extend([os.path.islink(os.path.join(fake, out)), f.readline().strip(),
                               sorted(os.listdir(os.path.join(fake, "kept")))])
        if os.path.exists(env["LOAD_SAW"]):
            with open(env["LOAD_SAW"]) as f:
                load_saw = f.read()
    return p.returncode, p.stdout, p.stderr, header, load_saw


def stand_in(name, text):
    """A module of that name made of text, as the recorder imports it from a stand-in's file."""
    module = types.ModuleType(name)
    exec(text, module.__dict__)
    return module


def libcuda_here():
    try:
        ctypes.CDLL("libcuda.so.1")
        return True
    except OSError:
        return False


class CannotRecordTest(unittest.TestCase):
    def assert_one_line(self, result, says):
        rc, out, err, header, load_saw = result
        self.assertNotEqual(0, rc)
        self.assertIsNone(header)
        self.assertEqual("", out)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertIn(says, err)

    def test_without_pynvml(self):
        self.assert_one_line(record('raise ImportError("No module named \'pynvml\'", name="pynvml")'),
                             "cannot import pynvml")

    def test_without_an_nvidia_driver(self):
        self.assert_one_line(record('def nvmlInit():\n    raise OSError("NVML Shared Library Not Found")\n'),
                             "no NVIDIA GPU to record through NVML (OSError: NVML Shared Library Not Found)")

    def test_a_load_that_does_not_start(self):
        self.assert_one_line(record(RECORDING_NVML), "the load (timm nosuchmodel, fp16, batch 128 on the GPU) did not start: ")

    def test_a_load_that_fails_while_recording_writes_no_trace(self):
        self.assert_one_line(record(RECORDING_NVML, timm=FAILING_LOAD_TIMM, torch=FAKE_TORCH),
                             "the load (timm nosuchmodel, fp16, batch 128 on the GPU) failed while recording, no trace"
                             " written: RuntimeError: CUDA error: an illegal memory access was encountered")

    def test_a_load_that_ends_before_its_load_phase_writes_no_trace(self):
        self.assert_one_line(record(RECORDING_NVML, timm=ENDS_WHEN_READY_TIMM, torch=FAKE_TORCH,
                                    args=("--gpu", "0", "--idle", "0.5")),
                             "the load (timm nosuchmodel, fp16, batch 128 on the GPU) ended before its load phase, no"
                             " trace written: exit code 9")

    def assert_hung_load_is_killed(self, timm, option, line):
        """A stand-in load that hangs 30 s, bounded by option (--load-timeout or --start-timeout) at 0.5 s."""
        started = time.monotonic()
        result = record(RECORDING_NVML, timm=timm, torch=FAKE_TORCH, args=("--gpu", "0", option, "0.5"))
        self.assertLess(time.monotonic() - started, 25, "the recorder waited for the load's 30 s hang")
        self.assert_one_line(result, "the load (timm nosuchmodel, fp16, batch 128 on the GPU) " + line)
        with self.assertRaises(ProcessLookupError, msg="the load still runs"):
            os.kill(int(result[4]), 0)

    def test_a_load_that_does_not_end_is_killed_and_writes_no_trace(self):
        self.assert_hung_load_is_killed(HANGING_LOAD_TIMM, "--load-timeout", "had not ended 0.5 s after the load phase"
                                        " (--load-timeout), killed, no trace written")

    def test_a_load_that_does_not_start_in_time_is_killed_and_writes_no_trace(self):
        self.assert_hung_load_is_killed(HANGING_START_TIMM, "--start-timeout", "had not started 0.5 s after it was run"
                                        " (--start-timeout), killed, no trace written")

    def test_a_load_still_there_after_it_was_killed_is_said_after_why_it_was_killed(self):
        # a process killed inside the GPU driver can stay: here a load that does not start in time, whose kill is not
        # delivered. The recorder runs here, not in a process of its own, to be given such a load; what it says goes
        # as the interpreter writes it, stderr's lines and then a SystemExit's message.
        class Unkillable(subprocess.Popen):
            made = []

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                Unkillable.made.append(self)

            def kill(self):
                pass

        said = io.StringIO()
        with tempfile.TemporaryDirectory() as fake:
            for name, text in (("timm", HANGING_START_TIMM), ("torch", FAKE_TORCH)):
                with open(os.path.join(fake, name + ".py"), "w") as f:
                    f.write(text)
            argv = [SCRIPT, "--out", os.path.join(fake, "trace.csv"), "--gpu", "0", "--model", "nosuchmodel",
                    "--start-timeout", "0.5"]
            with mock.patch.dict(os.environ, PYTHONPATH=fake, LOAD_SAW=os.path.join(fake, "load-saw.txt")), \
                    mock.patch.dict(sys.modules, pynvml=stand_in("pynvml", RECORDING_NVML)), \
                    mock.patch.object(sys, "argv", argv), mock.patch.object(subprocess, "Popen", Unkillable), \
                    mock.patch.object(record_nvml_trace, "stop",
                                      functools.partial(record_nvml_trace.stop, within_s=0.2)), \
                    mock.patch.object(record_nvml_trace, "nvml", None), contextlib.redirect_stderr(said), \
                    self.assertRaises(SystemExit) as ended:
                record_nvml_trace.main()
            for child in Unkillable.made:
                subprocess.Popen.kill(child)
                child.wait()
            self.assertEqual([], sorted(set(os.listdir(fake)) - {"timm.py", "torch.py", "load-saw.txt", "__pycache__"}))
        code = ended.exception.code
        self.assertEqual(1, len(Unkillable.made))
        self.assertEqual(["record_nvml_trace.py: the load (timm nosuchmodel, fp16, batch 128 on the GPU) had not "
                          "started 0.5 s after it was run (--start-timeout), killed, no trace written",
                          "record_nvml_trace.py: the load (pid %d) is still there 0.2 s after it was killed"
                          % Unkillable.made[0].pid],
                         said.getvalue().splitlines() + ([code] if isinstance(code, str) else []))
        self.assertEqual(1, code)

    def test_each_phase_ends_at_its_length_whatever_the_rate(self):
        # a read's interval longer than the phase, or than what is left of it, does not carry the phase past its end;
        # time here is a clock whose waits take exactly what they are asked, and whose reads take no time
        class Clock:
            now = 1000.0

            def monotonic(self):
                return self.now

            def monotonic_ns(self):
                return round(self.now * 1e9)

            def sleep(self, seconds):
                self.now += seconds

        clock = Clock()
        with mock.patch.object(record_nvml_trace, "time", clock), \
                mock.patch.object(record_nvml_trace, "nvml", stand_in("pynvml", RECORDING_NVML)):
            for seconds, hz, reads_ms in ((0.001, 200, [0]), (0.0123, 200, [0, 5, 10]), (0.0123, 250, [0, 4, 8, 12])):
                with self.subTest(seconds=seconds, hz=hz):
                    start = clock.now
                    rows = record_nvml_trace.poll("GPU-00000000-0000-0000-0000-000000000000", seconds, hz, "load")
                    self.assertAlmostEqual(start + seconds, clock.now, places=9)
                    self.assertEqual(reads_ms, [round((t / 1e9 - start) * 1e3, 6) for t, _, _, _ in rows])
                    self.assertEqual({(1000, 300000, "load")}, {row[1:] for row in rows})

    def test_a_gpu_without_the_energy_counter_is_said_before_the_load_starts(self):
        result = record(NO_COUNTER_NVML, timm=RUNNING_LOAD_TIMM, torch=FAKE_TORCH)
        self.assert_one_line(result, "NVML cannot read the total-energy counter, name, driver or power limit of --gpu 0"
                                     " (NVMLError: Not Supported)")
        self.assertIsNone(result[4], "the load did not start")

    def test_an_out_that_cannot_be_written_is_said_before_the_load_starts(self):
        result = record(RECORDING_NVML, timm=RUNNING_LOAD_TIMM, torch=FAKE_TORCH, out="no/such/dir/trace.csv")
        self.assert_one_line(result, "/no/such/dir/trace.csv cannot be written (No such file or directory)")
        self.assertIsNone(result[4], "the load did not start")
        result = record(RECORDING_NVML, timm=RUNNING_LOAD_TIMM, torch=FAKE_TORCH, out=".")
        self.assert_one_line(result, "is a directory")
        self.assertIsNone(result[4], "the load did not start")

    def test_a_read_that_fails_while_recording_writes_no_trace(self):
        self.assert_one_line(record(FAILING_READ_NVML, timm=RUNNING_LOAD_TIMM, torch=FAKE_TORCH),
                             "NVML failed while recording, no trace written (NVMLError: GPU is lost)")

    def test_a_trace_interrupted_while_it_is_written_leaves_no_part_of_it(self):
        rc, out, err, header, load_saw = record(INTERRUPTED_WRITE_NVML, timm=RUNNING_LOAD_TIMM, torch=FAKE_TORCH)
        self.assertNotEqual(0, rc)
        self.assertIn("KeyboardInterrupt", err)
        self.assertIsNone(header, "the rows before the interrupt would read as a whole, shorter trace")

    def test_options_that_give_no_trace_are_refused_before_anything_runs(self):
        for option, value, says in (("--hz", "0", "--hz: '0' is not a finite number from 200 to 10000"),
                                    ("--hz", "nan", "--hz: 'nan' is not a finite number from 200 to 10000"),
                                    # fewer reads than a 100 ms counter step needs timed, or a wait of ~300 years
                                    ("--hz", "199", "--hz: '199' is not a finite number from 200 to 10000"),
                                    ("--hz", "1e-10", "--hz: '1e-10' is not a finite number from 200 to 10000"),
                                    # far beyond what NVML's reads allow, and what the profiler takes
                                    ("--hz", "10001", "--hz: '10001' is not a finite number from 200 to 10000"),
                                    ("--load", "0", "--load: '0' is not a finite number > 0"),
                                    ("--load-timeout", "0", "--load-timeout: '0' is not a finite number > 0"),
                                    ("--start-timeout", "0", "--start-timeout: '0' is not a finite number > 0"),
                                    ("--start-timeout", "-5", "--start-timeout: '-5' is not a finite number > 0"),
                                    ("--idle", "-1", "--idle: '-1' is not a finite number >= 0"),
                                    ("--idle", "inf", "--idle: 'inf' is not a finite number >= 0"),
                                    ("--batch", "0", "--batch: '0' is not a whole number >= 1")):
            with self.subTest(option=option, value=value):
                rc, out, err, header, load_saw = record(RECORDING_NVML, timm=RUNNING_LOAD_TIMM, torch=FAKE_TORCH,
                                                        args=("--gpu", "0", option, value))
                self.assertEqual(2, rc, err)
                self.assertNotIn("Traceback", err)
                self.assertIn(says, err.splitlines()[-1])
                self.assertIsNone(header)
                self.assertIsNone(load_saw, "the load did not start")

    def test_a_gpu_option_that_names_no_gpu(self):
        self.assert_one_line(record(WORKING_NVML, args=("--gpu", "cuda:1")),
                             "--gpu 'cuda:1' is not an NVML index (0), a GPU UUID")
        self.assert_one_line(record(WORKING_NVML, args=("--gpu", "7")),
                             "NVML cannot open --gpu 7 (NVMLError: Invalid Argument)")

    @unittest.skipIf(libcuda_here(), "this machine's CUDA driver answers which GPU is CUDA's device 0")
    def test_cuda_devices_by_index_need_the_cuda_driver(self):
        # NVML's index 2 need not be CUDA's device 2: the driver is asked, and without it nothing is recorded
        self.assert_one_line(record(WORKING_NVML, args=(), cuda_visible_devices="2"),
                             "libcuda.so.1 not found: cannot ask CUDA which GPU is its device 0")


class WhichGpuTest(unittest.TestCase):
    """The GPU recorded is the one the load runs on."""

    def assert_recorded(self, result, gpu, load_saw):
        rc, out, err, header, saw = result
        self.assertEqual(0, rc, err)
        self.assertEqual("", err)
        self.assertTrue(header.startswith("# gpu=fake GPU %d driver=580.159.04 limit_mw=700000" % gpu), header)
        self.assertEqual(load_saw, saw)

    def test_a_gpu_named_by_index_uuid_or_pci_bus_id_runs_the_load(self):
        for gpu in ("2", "GPU-00000000-0000-0000-0000-000000000002", "0000:02:00.0"):
            with self.subTest(gpu=gpu):
                self.assert_recorded(record(RECORDING_NVML, timm=RUNNING_LOAD_TIMM, torch=FAKE_TORCH,
                                            args=("--gpu", gpu), cuda_visible_devices="0,1"),
                                     2, "GPU-00000000-0000-0000-0000-000000000002")

    def test_the_uuid_cuda_visible_devices_names_first_is_recorded(self):
        visible = "GPU-00000000-0000-0000-0000-000000000003,GPU-00000000-0000-0000-0000-000000000001"
        self.assert_recorded(record(RECORDING_NVML, timm=RUNNING_LOAD_TIMM, torch=FAKE_TORCH, args=(),
                                    cuda_visible_devices=visible), 3, visible)

    def test_a_load_whose_libraries_print_records(self):
        # what the load's libraries print on stdout, before or after its model is made, is not its word that it is ready
        self.assert_recorded(record(RECORDING_NVML, timm=CHATTY_LOAD_TIMM, torch=FAKE_TORCH, args=("--gpu", "0")),
                             0, "GPU-00000000-0000-0000-0000-000000000000")

    def test_a_start_timeout_longer_than_select_can_wait_records(self):
        # a finite --start-timeout of any size is taken: one beyond what select takes in one wait (about 292 years)
        # records as the default does, not a traceback
        self.assert_recorded(record(RECORDING_NVML, timm=RUNNING_LOAD_TIMM, torch=FAKE_TORCH,
                                    args=("--gpu", "0", "--start-timeout", "1e10")),
                             0, "GPU-00000000-0000-0000-0000-000000000000")

    def test_the_trace_is_shared_as_any_file_the_user_makes(self):
        # the process's umask decides, as for the suite's own files (gpuenergy.results.AtomicWrite), not a temporary
        # file's 0600: a trace recorded into a shared directory is read by others
        for umask, mode in ((0o022, 0o644), (0o077, 0o600)):
            with self.subTest(umask=oct(umask)):
                modes = []
                self.assert_recorded(record(RECORDING_NVML, timm=RUNNING_LOAD_TIMM, torch=FAKE_TORCH, umask=umask,
                                            trace_mode=modes), 0, "GPU-00000000-0000-0000-0000-000000000000")
                self.assertEqual([oct(mode)], [oct(m) for m in modes])

    def test_an_out_that_is_a_link_is_written_through_it(self):
        # the trace goes to the file the link names, the link stays, and nothing is left beside that file
        linked = []
        self.assert_recorded(record(RECORDING_NVML, timm=RUNNING_LOAD_TIMM, torch=FAKE_TORCH, linked=linked), 0,
                             "GPU-00000000-0000-0000-0000-000000000000")
        is_link, first_line, kept = linked
        self.assertTrue(is_link, "--out is no longer a link")
        self.assertTrue(first_line.startswith("# gpu=fake GPU 0 "), first_line)
        self.assertEqual(["trace.csv"], kept)

    def test_the_help_needs_no_gpu_software_and_says_which_gpu(self):
        p = subprocess.run([sys.executable, SCRIPT, "-h"], capture_output=True, text=True,
                           env=dict(os.environ, PYTHONPATH=""), timeout=60)
        self.assertEqual(0, p.returncode, p.stderr)
        for says in ("--gpu GPU", "NVML's index", "full GPU UUID", "PCI bus id", "CUDA_VISIBLE_DEVICES",
                     "--start-timeout START_TIMEOUT", "--load-timeout LOAD_TIMEOUT"):
            self.assertIn(says, " ".join(p.stdout.split()))


if __name__ == "__main__":
    unittest.main()
