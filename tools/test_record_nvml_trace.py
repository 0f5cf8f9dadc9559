"""python3 -m unittest discover -s tools (run by the Maven build): record_nvml_trace.py's one line where it cannot
record, with stand-ins for pynvml and timm (no GPU, no NVIDIA driver needed)."""
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "record_nvml_trace.py")

WORKING_NVML = """
def nvmlInit():
    pass


def nvmlDeviceGetHandleByIndex(i):
    return i
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
FAILING_LOAD_TIMM = """
class _Model:
    batches = 0

    def eval(self):
        return self

    cuda = half = eval

    def to(self, **kwargs):
        return self

    def __call__(self, x):
        self.batches += 1
        if self.batches > 20:
            raise RuntimeError("CUDA error: an illegal memory access was encountered")


def create_model(name, pretrained=False):
    return _Model()
"""


def record(pynvml, timm=UNKNOWN_MODEL_TIMM, torch=None):
    """The recorder run with these pynvml and timm modules (and torch, where given), for 0.1 s of load and idle:
    (exit code, stdout, stderr, whether it wrote the trace)."""
    with tempfile.TemporaryDirectory() as fake:
        for name, text in (("pynvml", pynvml), ("timm", timm), ("torch", torch)):
            if text is None:
                continue
            with open(os.path.join(fake, name + ".py"), "w") as f:
                f.write(text)
        env = dict(os.environ, PYTHONPATH=fake)
        p = subprocess.run([sys.executable, SCRIPT, "--out", os.path.join(fake, "trace.csv"), "--model", "nosuchmodel",
                            "--idle", "0.1", "--load", "0.1"],
                           capture_output=True, text=True, env=env, timeout=120)
        written = os.path.exists(os.path.join(fake, "trace.csv"))
    return p.returncode, p.stdout, p.stderr, written


class CannotRecordTest(unittest.TestCase):
    def assert_one_line(self, result, says):
        rc, out, err, written = result
        self.assertNotEqual(0, rc)
        self.assertFalse(written)
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
        self.assert_one_line(record(WORKING_NVML), "the load (timm nosuchmodel, fp16, batch 128 on the GPU) did not start: ")

    def test_a_load_that_fails_while_recording_writes_no_trace(self):
        nvml = WORKING_NVML + """

class _Field:
    nvmlReturn = 1


def nvmlDeviceGetTotalEnergyConsumption(h):
    return 0


def nvmlDeviceGetFieldValues(h, fields):
    return [_Field()]
"""
        self.assert_one_line(record(nvml, timm=FAILING_LOAD_TIMM, torch=FAKE_TORCH),
                             "the load (timm nosuchmodel, fp16, batch 128 on the GPU) failed while recording, no trace"
                             " written: RuntimeError: CUDA error: an illegal memory access was encountered")


if __name__ == "__main__":
    unittest.main()
