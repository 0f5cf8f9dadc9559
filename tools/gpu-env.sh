# Source this on a GPU machine before `java -jar benchmarks.jar`:  . tools/gpu-env.sh [JNI_FILE]
# Points DJL at the machine's CUDA libtorch (the one inside Python's torch package) instead of the
# CPU libtorch bundled in the default jar, and puts DJL's JNI for that libtorch where DJL looks first
# (<libtorch>/lib/0.35.1-libdjl_torch.so). DJL 0.35.1 publishes its JNI only for libtorch 2.7.1;
# for another libtorch you need a JNI built against it (see README, "Running on a GPU"). The torch is that of $PYTHON
# (default python3).
_py=${PYTHON:-python3}
if ! _torch_lib=$($_py -c "import torch,os;print(os.path.dirname(torch.__file__)+'/lib')" 2>/dev/null); then
  echo "gpu-env: $_py cannot import torch (name a Python with PyTorch for CUDA: PYTHON=/path/to/python3 . tools/gpu-env.sh)" >&2
  unset _py _torch_lib
  return 1
fi
export PYTORCH_LIBRARY_PATH=$_torch_lib
export PYTORCH_VERSION=$($_py -c "import torch;print(torch.__version__.split('+')[0])")
export PYTORCH_FLAVOR=$($_py -c "import torch;print('cu'+torch.version.cuda.replace('.','') if torch.version.cuda else 'cpu')")
if [ -n "${1:-}" ]; then cp "$1" "$_torch_lib/0.35.1-libdjl_torch.so" || return 1; fi
if [ ! -f "$_torch_lib/0.35.1-libdjl_torch.so" ] && [ ! -f "$_torch_lib/libdjl_torch.so" ]; then
  echo "gpu-env: no DJL JNI for libtorch $PYTORCH_VERSION in $_torch_lib (pass its path: . tools/gpu-env.sh FILE)" >&2
  return 1
fi
echo "gpu-env: libtorch $PYTORCH_VERSION ($PYTORCH_FLAVOR) at $PYTORCH_LIBRARY_PATH"
unset _py _torch_lib
