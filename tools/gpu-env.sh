# Source this on a GPU machine before `java -jar benchmarks.jar`:  [JNI_FILE=FILE] . tools/gpu-env.sh
# (bash and zsh take the file as . tools/gpu-env.sh FILE too; dash's . takes no arguments, so JNI_FILE is the one form
# every sh has).
# Points DJL at the machine's CUDA libtorch (the one inside Python's torch package) instead of the
# CPU libtorch bundled in the default jar, and puts DJL's JNI for that libtorch where DJL looks first
# (<libtorch>/lib/0.35.1-libdjl_torch.so). DJL 0.35.1 publishes its JNI only for libtorch 2.7.1;
# for another libtorch you need a JNI built against it (see README, "Running on a GPU"). The torch is that of $PYTHON
# (default python3). Where it fails it sets nothing: a PYTORCH_LIBRARY_PATH without a JNI beside it would have DJL
# look for one elsewhere.
# Run as a command it could set nothing in the shell that runs java: only a sourced script can. bash's return fails
# outside one; sh (dash) takes return at a script's top level too, so there a $0 that is this file tells it was run
# (sourced, $0 is the shell's or the sourcing script's name; zsh's is this file even sourced, so zsh is left out).
if ! (return 0 2>/dev/null) || { [ -z "${BASH_VERSION:-}${ZSH_VERSION:-}" ] && [ "${0##*/}" = gpu-env.sh ]; }; then
  echo "gpu-env: source it ([JNI_FILE=FILE] . tools/gpu-env.sh): run as a command it sets nothing in your shell" >&2
  exit 2
fi
_py="${PYTHON:-python3}"
if ! _torch_lib=$("$_py" -c "import torch,os;print(os.path.dirname(torch.__file__)+'/lib')" 2>/dev/null); then
  echo "gpu-env: $_py cannot import torch (name a Python with PyTorch for CUDA: PYTHON=/path/to/python3 . tools/gpu-env.sh)" >&2
  unset _py _torch_lib
  return 1
fi
_torch_version=$("$_py" -c "import torch;print(torch.__version__.split('+')[0])")
_torch_flavor=$("$_py" -c "import torch;print('cu'+torch.version.cuda.replace('.','') if torch.version.cuda else 'cpu')")
# JNI_FILE, else $1. $1 is the caller's own first argument where . names none (bash and zsh sourcing from a script) and
# always in dash, whose . takes no arguments: only a shared library (ELF) is copied, never a script's argument over the
# JNI. The copy goes to a temporary name and is renamed over the JNI, so a failed copy leaves the earlier JNI whole and a
# JVM that has it loaded keeps its own file instead of having it rewritten under it.
_jni="${JNI_FILE:-${1:-}}"
if [ -n "$_jni" ]; then
  if [ ! -f "$_jni" ] || [ "$(head -c 4 -- "$_jni")" != "$(printf '\177ELF')" ]; then
    echo "gpu-env: $_jni is $([ -f "$_jni" ] && echo "not a shared library" || echo "no file"), so no DJL JNI; nothing" \
         "copied$([ -z "${JNI_FILE:-}" ] && echo " (usage: [JNI_FILE=FILE] . tools/gpu-env.sh [FILE]; sourced from a script" \
         "without FILE, . may pass on the script's own arguments)")" >&2
    unset _py _torch_lib _torch_version _torch_flavor _jni
    return 1
  fi
  if ! { cp -- "$_jni" "$_torch_lib/.0.35.1-libdjl_torch.so.$$" && mv -f -- "$_torch_lib/.0.35.1-libdjl_torch.so.$$" "$_torch_lib/0.35.1-libdjl_torch.so"; }; then
    rm -f -- "$_torch_lib/.0.35.1-libdjl_torch.so.$$"
    unset _py _torch_lib _torch_version _torch_flavor _jni
    return 1
  fi
fi
if [ ! -f "$_torch_lib/0.35.1-libdjl_torch.so" ] && [ ! -f "$_torch_lib/libdjl_torch.so" ]; then
  echo "gpu-env: no DJL JNI for libtorch $_torch_version in $_torch_lib (pass its path: JNI_FILE=FILE . tools/gpu-env.sh)" >&2
  unset _py _torch_lib _torch_version _torch_flavor _jni
  return 1
fi
export PYTORCH_LIBRARY_PATH="$_torch_lib" PYTORCH_VERSION="$_torch_version" PYTORCH_FLAVOR="$_torch_flavor"
echo "gpu-env: libtorch $PYTORCH_VERSION ($PYTORCH_FLAVOR) at $PYTORCH_LIBRARY_PATH"
unset _py _torch_lib _torch_version _torch_flavor _jni
