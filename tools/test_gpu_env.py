"""python3 -m unittest discover -s tools (run by the Maven build): gpu-env.sh's one line where the Python it is given
cannot import torch, where that torch has no DJL JNI beside it, or where it is run instead of sourced, and the variables
it sets (stand-in torch packages; no GPU needed)."""
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gpu-env.sh")
VARIABLES = ("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR", "_py", "_torch_lib", "_torch_version",
             "_torch_flavor")
# a CUDA torch as far as gpu-env.sh asks
CUDA_TORCH = "__version__ = '2.7.1+cu126'\n\n\nclass version:\n    cuda = '12.6'\n"


def torch_package(fake, text, lib=False):
    """fake, a directory, holding a torch package whose __init__.py is text, with its lib directory where lib."""
    os.makedirs(os.path.join(fake, "torch", "lib") if lib else os.path.join(fake, "torch"))
    with open(os.path.join(fake, "torch", "__init__.py"), "w") as f:
        f.write(text)
    return fake


def source(fake, *args, python=sys.executable):
    """bash sourcing gpu-env.sh args with python (a Python) importing torch from fake: (its return code and the
    variables it left set, or unset, in one line; its stderr)."""
    env = dict(os.environ, PYTHONPATH=fake, PYTHON=python)
    for v in VARIABLES:
        env.pop(v, None)  # set where gpu-env.sh was sourced before the tests ran
    show = " ".join("%s=${%s-unset}" % (v, v) for v in VARIABLES)
    p = subprocess.run(["bash", "-c", '. "$0" "$@"; echo "rc=$? %s"' % show, SCRIPT, *args], capture_output=True,
                       text=True, env=env, timeout=60)
    return p.stdout.splitlines()[-1], p.stderr


NOTHING_SET = " ".join(v + "=unset" for v in VARIABLES)


class GpuEnvTest(unittest.TestCase):
    def setUp(self):
        fake = tempfile.TemporaryDirectory()
        self.addCleanup(fake.cleanup)
        self.fake = fake.name

    def test_a_python_without_torch_gets_one_line_and_nothing_set(self):
        out, err = source(torch_package(self.fake, "raise ModuleNotFoundError(\"No module named 'torch'\", name='torch')\n"))
        self.assertEqual("rc=1 " + NOTHING_SET, out)
        self.assertEqual("gpu-env: %s cannot import torch (name a Python with PyTorch for CUDA: PYTHON=/path/to/python3"
                         " . tools/gpu-env.sh)\n" % sys.executable, err)

    def test_a_torch_without_a_jni_gets_one_line_and_nothing_set(self):
        fake = torch_package(self.fake, CUDA_TORCH, lib=True)
        out, err = source(fake)
        self.assertEqual("rc=1 " + NOTHING_SET, out)
        self.assertEqual("gpu-env: no DJL JNI for libtorch 2.7.1 in %s/torch/lib (pass its path: . tools/gpu-env.sh "
                         "FILE)\n" % fake, err)
        out, err = source(fake, os.path.join(fake, "no-such-jni.so"))
        self.assertEqual("rc=1 " + NOTHING_SET, out)
        self.assertEqual(1, len(err.splitlines()), err)  # cp's own line

    def test_a_jni_given_is_put_beside_libtorch_and_djl_pointed_there(self):
        fake = torch_package(self.fake, CUDA_TORCH, lib=True)
        jni = os.path.join(fake, "libdjl_torch.so")
        with open(jni, "wb") as f:
            f.write(b"JNI")
        out, err = source(fake, jni)
        lib = os.path.join(fake, "torch", "lib")
        self.assertEqual("rc=0 PYTORCH_LIBRARY_PATH=%s PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu126 _py=unset "
                         "_torch_lib=unset _torch_version=unset _torch_flavor=unset" % lib, out)
        with open(os.path.join(lib, "0.35.1-libdjl_torch.so"), "rb") as f:
            self.assertEqual(b"JNI", f.read())
        self.assertEqual("", err)

    def test_paths_with_a_space_are_paths(self):
        # a Python, a torch and a JNI in directories whose names hold a space, as a user's home or a mounted volume's may
        spaced = os.path.join(self.fake, "with space")
        fake = torch_package(os.path.join(spaced, "site packages"), CUDA_TORCH, lib=True)
        python = os.path.join(spaced, "python 3")
        with open(python, "w") as f:
            f.write('#!/bin/sh\nexec "%s" "$@"\n' % sys.executable)
        os.chmod(python, 0o755)
        jni = os.path.join(spaced, "libdjl torch.so")
        with open(jni, "wb") as f:
            f.write(b"JNI")
        out, err = source(fake, jni, python=python)
        lib = os.path.join(fake, "torch", "lib")
        self.assertEqual("rc=0 PYTORCH_LIBRARY_PATH=%s PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu126 _py=unset "
                         "_torch_lib=unset _torch_version=unset _torch_flavor=unset" % lib, out)
        self.assertEqual("", err)
        with open(os.path.join(lib, "0.35.1-libdjl_torch.so"), "rb") as f:
            self.assertEqual(b"JNI", f.read())

    def test_run_as_a_command_it_says_to_source_it(self):
        # sh is dash on Debian and Ubuntu, which takes return at a script's top level where bash refuses it
        fake = torch_package(self.fake, CUDA_TORCH, lib=True)
        with open(os.path.join(fake, "torch", "lib", "libdjl_torch.so"), "wb") as f:
            f.write(b"JNI")
        for shell in ("bash", "sh"):
            with self.subTest(shell=shell):
                p = subprocess.run([shell, SCRIPT], capture_output=True, text=True, timeout=60,
                                   env=dict(os.environ, PYTHONPATH=fake, PYTHON=sys.executable))
                self.assertEqual(2, p.returncode)
                self.assertEqual("", p.stdout)
                self.assertEqual("gpu-env: source it (. tools/gpu-env.sh [JNI_FILE]): run as a command it sets nothing "
                                 "in your shell\n", p.stderr)

    def test_sourced_by_sh_it_sets_the_variables(self):
        fake = torch_package(self.fake, CUDA_TORCH, lib=True)
        with open(os.path.join(fake, "torch", "lib", "libdjl_torch.so"), "wb") as f:
            f.write(b"JNI")
        p = subprocess.run(["sh", "-c", '. "$1" && echo "$PYTORCH_LIBRARY_PATH $PYTORCH_FLAVOR"', "sh", SCRIPT],
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, PYTHONPATH=fake, PYTHON=sys.executable))
        self.assertEqual(0, p.returncode, p.stderr)
        self.assertEqual("%s/torch/lib cu126" % fake, p.stdout.splitlines()[-1])


if __name__ == "__main__":
    unittest.main()
