#!/usr/bin/env python3
"""Records a raw NVML trace (time, total-energy counter, instant power) while a GPU load runs.

The profiler's math (counter edges, power integration, idle subtraction) is unit-tested on such
traces, recorded on real GPUs and committed under profilers/src/test/resources/traces/.

Phases: idle for --idle s, then timm --model in eager mode at --batch for --load s (in a child process, so polling is
not slowed by the load), then idle again for --idle s. NVML is read --hz times a second (200 to 10000, as the profiler's
hz= option: its energy counter steps about every 100 ms), and each phase ends at its length, whatever the rate. Columns:
t_ns (CLOCK_MONOTONIC), energy_mj (nvmlDeviceGetTotalEnergyConsumption), power_mw (field 186,
NVML_FI_DEV_POWER_INSTANT), phase (idle-before, load, idle-after). The trace is written under a temporary name beside
--out and renamed once whole: a trace whose load or NVML reads failed, or that was interrupted, leaves no file there. A
GPU without the total-energy counter, and an --out that cannot be written, are said before the load starts. The load
says it is ready once its model is made and warmed up on the GPU, on a pipe of its own: what its libraries print (on
stdout or stderr) goes to its error file, whose last line says why a load did not start or failed. One that has not said
it is ready --start-timeout s after it was run (it hangs in CUDA's set-up, the model's creation or the warm-up) is
killed and reaped, said in one line, and no trace is written. The load ends its last batch and its process after the
load phase, before the idle-after phase starts; one that has not ended --load-timeout s after the load phase (it hangs
in a batch, or at its exit) is killed and reaped, said in one line, and no trace is written: its load phase may not have
loaded the GPU. A killed load still there 10 s on (in the GPU driver) is said after that line.

The GPU recorded is the one the load runs on: by default the GPU that CUDA calls device 0 in this process, after
CUDA_VISIBLE_DEVICES and CUDA_DEVICE_ORDER, found as the energy profiler finds a benchmark's (a full GPU-... UUID as the
variable's first entry is looked up by UUID; else the CUDA driver, libcuda.so.1, gives the device's PCI bus id). NVML
numbers GPUs by PCI bus and CUDA, by default, fastest first, so neither index is taken for the other. --gpu names
another GPU as the profiler's gpu= option does (NVML's index, as nvidia-smi numbers them, a full GPU UUID or a PCI bus
id), and the load runs there (its CUDA_VISIBLE_DEVICES set to that GPU's UUID).

Examples (GPU machine): python3 tools/record_nvml_trace.py --out trace.csv --hz 1000
                        CUDA_VISIBLE_DEVICES=2 python3 tools/record_nvml_trace.py --out trace.csv
                        python3 tools/record_nvml_trace.py --gpu GPU-<uuid from nvidia-smi -L> --out trace.csv
"""
import argparse
import contextlib
import ctypes
import math
import os
import re
import select
import subprocess
import sys
import tempfile
import time

nvml = None  # pynvml, imported once the options are read: -h needs no GPU software

HZ = (200, 10000)  # --hz's range, the profiler's hz= range (gpuenergy.profile.ProfilerOptions)

# The load says "ready" on a descriptor of its own (a copy of the pipe it is given as stdout), and its stdout goes to
# its error file: what torch, timm or a library under them prints, in Python or in C, on import or while the model is
# made, is never read as the load's word, and no pipe that nothing reads fills up while it runs.
LOAD = r"""
import os, sys
ready = os.dup(1)
os.dup2(2, 1)
import time, torch, timm
model = timm.create_model(sys.argv[1], pretrained=False).eval().cuda().half().to(memory_format=torch.channels_last)
x = torch.rand(int(sys.argv[2]), 3, 224, 224, device="cuda", dtype=torch.float16).to(memory_format=torch.channels_last)
torch.backends.cudnn.benchmark = True
with torch.inference_mode():
    for _ in range(20): model(x)
    torch.cuda.synchronize()
    os.write(ready, b"ready\n")
    sys.stdin.readline()
    end = time.monotonic() + float(sys.argv[3])
    while time.monotonic() < end:
        model(x); torch.cuda.synchronize()
"""


FULL_UUID = re.compile(r"GPU-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
PCI_BUS_ID = re.compile(r"(?:([0-9a-fA-F]{1,8}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])")


def nvml_pci_bus_id(bus_id):
    """Any "[domain:]bus:device.function" in hex (CUDA writes "0000:1a:00.0") as NVML's "00000000:1A:00.0"."""
    domain, bus, device, function = PCI_BUS_ID.fullmatch(bus_id.strip()).groups()
    return "%08X:%02X:%02X.%s" % (int(domain or "0", 16), int(bus, 16), int(device, 16), function)


def text(value):
    """pynvml returns bytes from some versions, str from others."""
    return value.decode() if isinstance(value, bytes) else value


def cuda_device_pci_bus_id(ordinal):
    """The PCI bus id of what CUDA calls device ordinal in this process: the driver applies CUDA_VISIBLE_DEVICES and
    CUDA_DEVICE_ORDER itself. cuInit creates no context and takes no GPU memory."""
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
    except OSError:
        raise LookupError(f"libcuda.so.1 not found: cannot ask CUDA which GPU is its device {ordinal}")

    def check(call, code):
        if code:
            name = ctypes.c_char_p()
            said = name.value.decode() if cuda.cuGetErrorName(code, ctypes.byref(name)) == 0 else f"CUresult {code}"
            raise LookupError(f"{call}: {said} (CUDA driver, CUDA_VISIBLE_DEVICES="
                              f"{os.environ.get('CUDA_VISIBLE_DEVICES', '(unset)')})")

    device = ctypes.c_int()
    bus_id = ctypes.create_string_buffer(64)
    check("cuInit", cuda.cuInit(0))
    check(f"cuDeviceGet({ordinal})", cuda.cuDeviceGet(ctypes.byref(device), ordinal))
    check("cuDeviceGetPCIBusId", cuda.cuDeviceGetPCIBusId(bus_id, len(bus_id), device))
    return bus_id.value.decode()


def cuda_device_handle(nvml, ordinal):
    """The NVML handle (nvml: the pynvml module) of the GPU CUDA calls device ordinal in this process, found as the
    energy profiler finds a benchmark's: by UUID where CUDA_VISIBLE_DEVICES names it by its full UUID, else by the PCI
    bus id the CUDA driver gives; LookupError with one line where the driver cannot say. NVML numbers GPUs by PCI bus
    and CUDA, by default, fastest first, so neither index is ever taken for the other."""
    entries = os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",")
    entry = entries[ordinal].strip() if ordinal < len(entries) else ""
    # CUDA stops at the first entry it cannot parse: a UUID after one names no CUDA device, which the driver then says
    if FULL_UUID.fullmatch(entry) and all(re.fullmatch(r"\d{1,4}|(GPU|MIG)-.+", e.strip()) for e in entries[:ordinal]):
        return nvml.nvmlDeviceGetHandleByUUID(entry)
    return nvml.nvmlDeviceGetHandleByPciBusId(nvml_pci_bus_id(cuda_device_pci_bus_id(ordinal)))


def gpu_handle(gpu):
    """The NVML handle of --gpu (NVML's index, a full GPU UUID or a PCI bus id), else of the GPU CUDA calls device 0
    here; LookupError with one line where there is none. A UUID is looked up as such: NVML's own index is never
    guessed from CUDA's."""
    if gpu is not None:
        gpu = gpu.strip()
        if re.fullmatch(r"\d{1,4}", gpu):
            return nvml.nvmlDeviceGetHandleByIndex(int(gpu))
        if FULL_UUID.fullmatch(gpu):
            return nvml.nvmlDeviceGetHandleByUUID(gpu)
        if PCI_BUS_ID.fullmatch(gpu):
            return nvml.nvmlDeviceGetHandleByPciBusId(nvml_pci_bus_id(gpu))
        raise LookupError(f"--gpu {gpu!r} is not an NVML index (0), a GPU UUID (GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"
                          " or a PCI bus id (0000:1a:00.0)")
    return cuda_device_handle(nvml, 0)


def last_error(child, errors, within_s=10.0):
    """The last line the load wrote to its error file, else its exit code. A load that has closed its pipe or failed has
    ended or is ending: it is waited for within_s first, not killed, since its last lines are written as it ends; one
    still there then is killed and reaped by main's stop, which says so after the line this goes into."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=within_s)
    errors.seek(0)
    said = [line.strip() for line in errors if line.strip()]
    if said:
        return said[-1]
    if child.returncode is None:
        return f"no error line, not ended {within_s:g} s on"
    return f"exit code {child.returncode}"


def first_line(child, within_s):
    """The first line the load writes (without its newline; all it wrote where it ended before a newline), or None where
    it has written no whole line within_s s after now: a load that hangs before it is ready would otherwise keep the
    recorder waiting in readline. Read from the pipe's descriptor, not through child.stdout's buffer, which nothing
    reads afterwards."""
    fd = child.stdout.fileno()
    end = time.monotonic() + within_s
    got = b""
    while b"\n" not in got:
        left = end - time.monotonic()
        if left <= 0:
            return None
        # select takes no wait beyond about 292 years (its OverflowError): a longer --start-timeout waits a day at a time
        if not select.select([fd], [], [], min(left, 86400.0))[0]:
            continue
        chunk = os.read(fd, 4096)
        if not chunk:  # the load closed its stdout: it has ended, or is ending
            break
        got += chunk
    return got.split(b"\n")[0].decode(errors="replace")


def stop(child, within_s=10.0):
    """Kills the load where it still runs (nothing records it any more), reaps it and closes its pipes. A process killed
    inside the GPU driver can take a while to go: the recorder waits within_s for it, not forever, and says so where it
    is still there."""
    if child.poll() is None:
        child.kill()
    try:
        child.wait(timeout=within_s)
    except subprocess.TimeoutExpired:
        print(f"record_nvml_trace.py: the load (pid {child.pid}) is still there {within_s:g} s after it was killed",
              file=sys.stderr)
    for pipe in (child.stdin, child.stdout):
        with contextlib.suppress(OSError):  # a pipe to a process that is gone
            pipe.close()


def finite(zero_allowed=False, within=None):
    """An argparse type: a finite number > 0, or >= 0 where zero_allowed, and from within's first to its last where
    given."""
    bound = f"from {within[0]:g} to {within[-1]:g}" if within else ">= 0" if zero_allowed else "> 0"

    def number(value):
        try:
            x = float(value)
        except ValueError:
            x = math.nan
        if (not math.isfinite(x) or x < 0 or (x == 0 and not zero_allowed)
                or (within and not within[0] <= x <= within[-1])):
            raise argparse.ArgumentTypeError(f"{value!r} is not a finite number {bound}")
        return x
    return number


def whole(value):
    """An argparse type: a whole number >= 1."""
    if not re.fullmatch(r"[1-9][0-9]*", value.strip()):
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number >= 1")
    return int(value)


def trace_file(out):
    """The file the trace is written to before it is renamed (os.replace, in one step), and the path it is renamed to:
    a kill or an error while it is written leaves no part of a trace under out, which would read as a whole shorter one.
    That path is out's, or where out leads when it is a symbolic link: a rename onto the link would put a file of its own
    in the link's place, and the file the link names would keep the old trace. Made before anything is recorded, beside
    that path (a rename stays within its file system), so that an --out that cannot be written is said before the GPU is
    loaded, not after. Its mode is the process's umask's, as any file the user makes (and as the suite's
    gpuenergy.results.AtomicWrite makes its files), not a temporary file's 0600: a trace recorded into a shared
    directory is read by others."""
    if os.path.isdir(out):
        raise OSError(f"--out {out} is a directory")
    target = os.path.realpath(out)
    try:
        f = tempfile.NamedTemporaryFile("w", dir=os.path.dirname(target),
                                        prefix="." + os.path.basename(target) + ".", suffix=".partial", delete=False)
    except OSError as e:
        raise OSError(f"--out {out} cannot be written ({e.strerror or e})")
    umask = os.umask(0)
    os.umask(umask)
    with contextlib.suppress(OSError):  # a file system without Unix modes keeps its own
        os.chmod(f.fileno(), 0o666 & ~umask)
    return f, target


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--gpu", help="the GPU to record and run the load on: NVML's index (as nvidia-smi numbers them), a "
                                 "full GPU UUID or a PCI bus id; default: the GPU CUDA calls device 0 here, after "
                                 "CUDA_VISIBLE_DEVICES")
    p.add_argument("--idle", type=finite(zero_allowed=True), default=4.0,
                   help="seconds of each idle phase (default %(default)s)")
    p.add_argument("--load", type=finite(zero_allowed=False), default=10.0,
                   help="seconds of the load phase (default %(default)s)")
    p.add_argument("--hz", type=finite(within=HZ), default=1000.0,
                   help=f"reads per second, {HZ[0]} to {HZ[-1]}, as the profiler's hz= option takes: NVML's energy "
                        "counter steps about every 100 ms, and the counter-edge method these traces test times a step "
                        "to half a read's interval (2.5 ms at 200 Hz); pynvml reads 200 to 300 times a second on an "
                        "H100, and a rate above that reads back to back (default %(default)s)")
    p.add_argument("--start-timeout", type=finite(zero_allowed=False), default=600.0,
                   help="seconds the load may take to start (CUDA's set-up, the model's creation and its warm-up, which"
                        " grow with the model and a cold cache); one that has not is killed and no trace is written "
                        "(default %(default)s)")
    p.add_argument("--load-timeout", type=finite(zero_allowed=False), default=60.0,
                   help="seconds the load may take, after the load phase, to end its last batch and its process; one "
                        "that has not is killed and no trace is written (default %(default)s)")
    p.add_argument("--model", default="resnet50")
    p.add_argument("--batch", type=whole, default=128)
    a = p.parse_args()
    global nvml
    try:
        import pynvml as nvml
    except ImportError:
        sys.exit(f"record_nvml_trace.py: this Python ({sys.executable}) cannot import pynvml, which reads the GPU's"
                 " counters (pip install nvidia-ml-py)")
    try:
        nvml.nvmlInit()
    except Exception as e:  # NVMLError: no driver, no GPU
        sys.exit(f"record_nvml_trace.py: no NVIDIA GPU to record through NVML ({type(e).__name__}: {e})")
    gpu = f"--gpu {a.gpu}" if a.gpu is not None else "the GPU CUDA calls device 0"
    try:
        h = gpu_handle(a.gpu)
        uuid = text(nvml.nvmlDeviceGetUUID(h))
    except LookupError as e:
        sys.exit(f"record_nvml_trace.py: {e}")
    except Exception as e:  # NVMLError: no such GPU, or one NVML cannot open
        sys.exit(f"record_nvml_trace.py: NVML cannot open {gpu} ({type(e).__name__}: {e})")
    try:  # what the trace's header says and its first read, before the load: a GPU without them is said in one line
        nvml.nvmlDeviceGetTotalEnergyConsumption(h)
        header = (f"# gpu={text(nvml.nvmlDeviceGetName(h))} driver={text(nvml.nvmlSystemGetDriverVersion())} "
                  f"limit_mw={nvml.nvmlDeviceGetEnforcedPowerLimit(h)} load={a.model} fp16 batch {a.batch} hz={a.hz}\n")
    except Exception as e:  # NVMLError: Not Supported (a GPU without the total-energy counter)
        sys.exit(f"record_nvml_trace.py: NVML cannot read the total-energy counter, name, driver or power limit of {gpu}"
                 f" ({type(e).__name__}: {e})")
    try:
        out, target = trace_file(a.out)
    except OSError as e:
        sys.exit(f"record_nvml_trace.py: {e}")
    # with --gpu the load goes to that GPU, by UUID; else it runs where CUDA's device 0 is, the GPU found above
    env = dict(os.environ, CUDA_VISIBLE_DEVICES=uuid) if a.gpu is not None else None
    child = load_err = None
    try:
        # the load's errors go to a file: its last line says why it did not start or ended early
        load_err = tempfile.TemporaryFile(mode="w+")
        child = subprocess.Popen([sys.executable, "-c", LOAD, a.model, str(a.batch), str(a.load)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=load_err, text=True, env=env)
        rows = record(a, h, child, load_err)
        try:
            out.write(header)
            out.write("t_ns,energy_mj,power_mw,phase\n")
            for r in rows:
                out.write("%d,%d,%d,%s\n" % r)
            out.flush()
            os.fsync(out.fileno())
            out.close()
            os.replace(out.name, target)
        except OSError as e:  # a full disk
            sys.exit(f"record_nvml_trace.py: {a.out} cannot be written, no trace written ({e.strerror or e})")
    except BaseException as e:
        out.close()
        with contextlib.suppress(FileNotFoundError):
            os.remove(out.name)
        if isinstance(e, SystemExit) and isinstance(e.code, str):
            # the reason first: stop's line, where the load is still there after its kill, is what came of it
            print(e.code, file=sys.stderr)
            e.code = 1
        raise
    finally:
        if child is not None:
            stop(child)
        if load_err is not None:
            load_err.close()
    print(f"{len(rows)} samples -> {a.out}")


def record(a, h, child, load_err):
    """The trace's rows (t_ns, energy_mj, power_mw, phase) of the idle, load and idle phases; exits with one line where
    the load does not start (in time), ends early or does not end in time, or NVML fails while reading."""
    load = f"the load (timm {a.model}, fp16, batch {a.batch} on the GPU)"
    said = first_line(child, a.start_timeout)
    if said is None:  # main's stop kills and reaps it
        sys.exit(f"record_nvml_trace.py: {load} had not started {a.start_timeout:g} s after it was run (--start-timeout)"
                 f", killed, no trace written")
    if said.strip() != "ready":  # it closed its pipe: it has ended, or is ending
        sys.exit(f"record_nvml_trace.py: {load} did not start: {last_error(child, load_err)}")
    time.sleep(3.0)  # let the warm-up's power decay a little before the idle phase
    rows = poll(h, a.idle, a.hz, "idle-before")
    try:
        child.stdin.write("go\n"); child.stdin.flush()
    except BrokenPipeError:  # it ended in the idle phase (the out-of-memory killer, a crash): nothing loads the GPU
        sys.exit(f"record_nvml_trace.py: {load} ended before its load phase, no trace written: "
                 f"{last_error(child, load_err)}")
    rows += poll(h, a.load, a.hz, "load")
    try:
        failed = child.wait(timeout=a.load_timeout)
    except subprocess.TimeoutExpired:  # main's stop kills and reaps it; a hung batch may have left the GPU idle
        sys.exit(f"record_nvml_trace.py: {load} had not ended {a.load_timeout:g} s after the load phase (--load-timeout)"
                 f", killed, no trace written")
    if failed:  # a trace whose load phase ended early would be read as one of the whole load
        sys.exit(f"record_nvml_trace.py: {load} failed while recording, no trace written: {last_error(child, load_err)}")
    rows += poll(h, a.idle, a.hz, "idle-after")
    return rows


def poll(h, seconds, hz, phase):
    """The rows (t_ns, energy_mj, power_mw, phase) of hz reads a second for seconds from now. The phase ends at its
    length: the wait after its last read goes to its end, not to a next read past it (a read's interval longer than
    what is left of the phase)."""
    end = time.monotonic() + seconds
    nxt = time.monotonic()
    rows = []
    while time.monotonic() < end:
        t = time.monotonic_ns()
        try:
            e = nvml.nvmlDeviceGetTotalEnergyConsumption(h)
            fv = nvml.nvmlDeviceGetFieldValues(h, [186])[0]
        except Exception as error:  # NVMLError: the GPU fell off the bus, the driver was reloaded
            sys.exit(f"record_nvml_trace.py: NVML failed while recording, no trace written "
                     f"({type(error).__name__}: {error})")
        rows.append((t, e, fv.value.uiVal if fv.nvmlReturn == 0 else -1, phase))
        nxt += 1.0 / hz
        time.sleep(max(0.0, min(nxt, end) - time.monotonic()))
    return rows

if __name__ == "__main__":
    main()
