"""python3 -m unittest discover -s tools (run by the Maven build): gpu-env.sh's one line where the Python it is given
cannot import torch (a stand-in torch that fails to import; no GPU needed)."""
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gpu-env.sh")


class GpuEnvTest(unittest.TestCase):
    def test_a_python_without_torch_gets_one_line(self):
        with tempfile.TemporaryDirectory() as fake:
            with open(os.path.join(fake, "torch.py"), "w") as f:
                f.write("raise ModuleNotFoundError(\"No module named 'torch'\", name='torch')\n")
            env = dict(os.environ, PYTHONPATH=fake, PYTHON=sys.executable)
            env.pop("PYTORCH_LIBRARY_PATH", None)  # set where gpu-env.sh was sourced before the tests ran
            p = subprocess.run(["bash", "-c", '. "$0"; echo "rc=$? PYTORCH_LIBRARY_PATH=${PYTORCH_LIBRARY_PATH-unset}"',
                                SCRIPT], capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual("rc=1 PYTORCH_LIBRARY_PATH=unset\n", p.stdout)
        self.assertEqual("gpu-env: %s cannot import torch (name a Python with PyTorch for CUDA: PYTHON=/path/to/python3"
                         " . tools/gpu-env.sh)\n" % sys.executable, p.stderr)


if __name__ == "__main__":
    unittest.main()
