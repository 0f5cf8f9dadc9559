"""python3 -m unittest discover -s tools (run by the Maven build): gpu-env.sh's one line where the Python it is given
cannot import torch, where that torch has no DJL JNI beside it, where the file it is given is no shared library, or where
it is run instead of sourced, the JNI it renames into place and the variables it sets (stand-in torch packages; no GPU
needed)."""
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gpu-env.sh")
VARIABLES = ("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR", "_py", "_torch_lib", "_torch_version",
             "_torch_flavor", "_jni")
# a CUDA torch as far as gpu-env.sh asks
CUDA_TORCH = "__version__ = '2.7.1+cu126'\n\n\nclass version:\n    cuda = '12.6'\n"
# a JNI as far as gpu-env.sh asks: a shared library's first bytes
JNI = b"\x7fELF JNI"


def torch_package(fake, text, lib=False):
    """fake, a directory, holding a torch package whose __init__.py is text, with its lib directory where lib."""
    os.makedirs(os.path.join(fake, "torch", "lib") if lib else os.path.join(fake, "torch"))
    with open(os.path.join(fake, "torch", "__init__.py"), "w") as f:
        f.write(text)
    return fake


def source(fake, *args, python=sys.executable, env_jni=None):
    """bash sourcing gpu-env.sh args with python (a Python) importing torch from fake, and JNI_FILE=env_jni where given:
    (its return code and the variables it left set, or unset, in one line; its stderr)."""
    env = dict(os.environ, PYTHONPATH=fake, PYTHON=python)
    for v in VARIABLES + ("JNI_FILE",):
        env.pop(v, None)  # set where gpu-env.sh was sourced before the tests ran
    if env_jni is not None:
        env["JNI_FILE"] = env_jni
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
        self.assertEqual("gpu-env: no DJL JNI for libtorch 2.7.1 in %s/torch/lib (pass its path: JNI_FILE=FILE . "
                         "tools/gpu-env.sh)\n" % fake, err)
        out, err = source(fake, os.path.join(fake, "no-such-jni.so"))
        self.assertEqual("rc=1 " + NOTHING_SET, out)
        self.assertEqual(1, len(err.splitlines()), err)  # cp's own line

    def test_a_jni_given_is_put_beside_libtorch_and_djl_pointed_there(self):
        fake = torch_package(self.fake, CUDA_TORCH, lib=True)
        jni = os.path.join(fake, "libdjl_torch.so")
        with open(jni, "wb") as f:
            f.write(JNI)
        lib = os.path.join(fake, "torch", "lib")
        earlier = os.path.join(lib, "0.35.1-libdjl_torch.so")
        with open(earlier, "wb") as f:
            f.write(b"\x7fELF an earlier JNI, loaded by a JVM that runs")
        loaded = os.open(earlier, os.O_RDONLY)
        self.addCleanup(os.close, loaded)
        out, err = source(fake, jni)
        self.assertEqual("rc=0 PYTORCH_LIBRARY_PATH=%s PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu126 _py=unset "
                         "_torch_lib=unset _torch_version=unset _torch_flavor=unset _jni=unset" % lib, out)
        with open(earlier, "rb") as f:
            self.assertEqual(JNI, f.read())
        self.assertEqual("", err)
        # renamed over it: the running JVM's file is its own still, not rewritten under it
        self.assertEqual(b"\x7fELF an earlier JNI, loaded by a JVM that runs", os.pread(loaded, 100, 0))
        self.assertEqual(["0.35.1-libdjl_torch.so"], os.listdir(lib), "no temporary left")

    def test_an_argument_that_is_no_shared_library_is_not_copied_over_the_jni(self):
        # bash sourcing without arguments from a script passes the script's on, and dash's . always does
        fake = torch_package(self.fake, CUDA_TORCH, lib=True)
        jni = os.path.join(fake, "torch", "lib", "0.35.1-libdjl_torch.so")
        with open(jni, "wb") as f:
            f.write(JNI)
        conf = os.path.join(fake, "sweep.conf")
        with open(conf, "w") as f:
            f.write("model=resnet50\n")
        for args, says in (([conf], "gpu-env: %s is not a shared library, so no DJL JNI; nothing copied" % conf),
                           (["-p"], "gpu-env: -p is no file, so no DJL JNI; nothing copied")):
            with self.subTest(args=args):
                out, err = source(fake, *args)
                self.assertEqual("rc=1 " + NOTHING_SET, out)
                self.assertEqual(1, len(err.splitlines()), err)
                self.assertTrue(err.startswith(says), err)
                with open(jni, "rb") as f:
                    self.assertEqual(JNI, f.read())

    def test_an_option_is_answered_with_the_usage_and_nothing_set(self):
        # . tools/gpu-env.sh -h typed by a user: the line shows how to name a JNI, not only that -h is no file
        out, err = source(torch_package(self.fake, CUDA_TORCH, lib=True), "-h")
        self.assertEqual("rc=1 " + NOTHING_SET, out)
        self.assertEqual("gpu-env: -h is no file, so no DJL JNI; nothing copied (usage: [JNI_FILE=FILE] . tools/gpu-env.sh"
                         " [FILE]; sourced from a script without FILE, . may pass on the script's own arguments)\n", err)

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
            f.write(JNI)
        out, err = source(fake, jni, python=python)
        lib = os.path.join(fake, "torch", "lib")
        self.assertEqual("rc=0 PYTORCH_LIBRARY_PATH=%s PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu126 _py=unset "
                         "_torch_lib=unset _torch_version=unset _torch_flavor=unset _jni=unset" % lib, out)
        self.assertEqual("", err)
        with open(os.path.join(lib, "0.35.1-libdjl_torch.so"), "rb") as f:
            self.assertEqual(JNI, f.read())

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
                self.assertEqual("gpu-env: source it ([JNI_FILE=FILE] . tools/gpu-env.sh): run as a command it sets "
                                 "nothing in your shell\n", p.stderr)

    def test_sourced_by_sh_it_sets_the_variables(self):
        fake = torch_package(self.fake, CUDA_TORCH, lib=True)
        with open(os.path.join(fake, "torch", "lib", "libdjl_torch.so"), "wb") as f:
            f.write(b"JNI")
        # dash's . passes the caller's arguments on: the script's path is taken off them, or it would be the JNI file
        p = subprocess.run(["sh", "-c", 's=$1; shift; . "$s" && echo "$PYTORCH_LIBRARY_PATH $PYTORCH_FLAVOR"', "sh", SCRIPT],
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, PYTHONPATH=fake, PYTHON=sys.executable))
        self.assertEqual(0, p.returncode, p.stderr)
        self.assertEqual("%s/torch/lib cu126" % fake, p.stdout.splitlines()[-1])

    def test_sourced_by_sh_it_takes_the_jni_from_jni_file(self):
        # dash's . takes no arguments: the file a user names after it is dropped, JNI_FILE reaches the script
        fake = torch_package(self.fake, CUDA_TORCH, lib=True)
        jni = os.path.join(self.fake, "libdjl_torch.so")
        with open(jni, "wb") as f:
            f.write(JNI)
        env = dict(os.environ, PYTHONPATH=fake, PYTHON=sys.executable)
        env.pop("JNI_FILE", None)
        p = subprocess.run(["sh", "-c", 's=$1 j=$2; shift 2; JNI_FILE="$j" . "$s" && echo "$PYTORCH_LIBRARY_PATH"', "sh",
                            SCRIPT, jni],
                           capture_output=True, text=True, timeout=60, env=env)
        self.assertEqual(0, p.returncode, p.stderr)
        self.assertEqual("%s/torch/lib" % fake, p.stdout.splitlines()[-1])
        with open(os.path.join(fake, "torch", "lib", "0.35.1-libdjl_torch.so"), "rb") as f:
            self.assertEqual(JNI, f.read())
        missing = os.path.join(self.fake, "sweep.conf")
        out, err = source(fake, env_jni=missing)  # no file: said, nothing set
        self.assertEqual("rc=1 " + NOTHING_SET, out)
        self.assertEqual("gpu-env: %s is no file, so no DJL JNI; nothing copied\n" % missing, err)


if __name__ == "__main__":
    unittest.main()
