#!/usr/bin/env python3
"""Records a raw NVML trace (time, total-energy counter, instant power) while a GPU load runs.

The profiler's math (counter edges, power integration, idle subtraction) is unit-tested on such
traces, recorded on real GPUs and committed under profilers/src/test/resources/traces/.

Phases: idle for --idle s, then timm --model in eager mode at --batch for --load s (in a child
process, so polling is not slowed by the load), then idle again for --idle s.
Columns: t_ns (CLOCK_MONOTONIC), energy_mj (nvmlDeviceGetTotalEnergyConsumption), power_mw
(field 186, NVML_FI_DEV_POWER_INSTANT), phase (idle-before, load, idle-after).

Example (GPU machine): python3 tools/record_nvml_trace.py --out trace.csv --hz 1000
"""
import argparse
import subprocess
import sys
import tempfile
import time

try:
    import pynvml as nvml
except ImportError:
    sys.exit(f"record_nvml_trace.py: this Python ({sys.executable}) cannot import pynvml, which reads the GPU's counters"
             " (pip install nvidia-ml-py)")

LOAD = r"""
import sys, time, torch, timm
model = timm.create_model(sys.argv[1], pretrained=False).eval().cuda().half().to(memory_format=torch.channels_last)
x = torch.rand(int(sys.argv[2]), 3, 224, 224, device="cuda", dtype=torch.float16).to(memory_format=torch.channels_last)
torch.backends.cudnn.benchmark = True
with torch.inference_mode():
    for _ in range(20): model(x)
    torch.cuda.synchronize()
    print("ready", flush=True)
    sys.stdin.readline()
    end = time.monotonic() + float(sys.argv[3])
    while time.monotonic() < end:
        model(x); torch.cuda.synchronize()
print("done", flush=True)
"""


def last_error(child, errors):
    """The last line the ended load process wrote to its error file, else its exit code."""
    code = child.wait()
    errors.seek(0)
    return ([line.strip() for line in errors if line.strip()] or [f"exit code {code}"])[-1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--idle", type=float, default=4.0)
    p.add_argument("--load", type=float, default=10.0)
    p.add_argument("--hz", type=float, default=1000.0)
    p.add_argument("--model", default="resnet50")
    p.add_argument("--batch", type=int, default=128)
    a = p.parse_args()
    try:
        nvml.nvmlInit()
        h = nvml.nvmlDeviceGetHandleByIndex(0)
    except Exception as e:  # NVMLError: no driver, no GPU
        sys.exit(f"record_nvml_trace.py: no NVIDIA GPU to record through NVML ({type(e).__name__}: {e})")
    # the load's errors go to a file: its last line says why it did not start or ended early
    load_err = tempfile.TemporaryFile(mode="w+")
    child = subprocess.Popen([sys.executable, "-c", LOAD, a.model, str(a.batch), str(a.load)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=load_err, text=True)
    load = f"the load (timm {a.model}, fp16, batch {a.batch} on the GPU)"
    if child.stdout.readline().strip() != "ready":
        child.kill()
        sys.exit(f"record_nvml_trace.py: {load} did not start: {last_error(child, load_err)}")
    time.sleep(3.0)  # let the warm-up's power decay a little before the idle phase
    period = 1.0 / a.hz
    rows = []

    def poll(seconds, phase):
        end = time.monotonic() + seconds
        nxt = time.monotonic()
        while time.monotonic() < end:
            t = time.monotonic_ns()
            e = nvml.nvmlDeviceGetTotalEnergyConsumption(h)
            fv = nvml.nvmlDeviceGetFieldValues(h, [186])[0]
            rows.append((t, e, fv.value.uiVal if fv.nvmlReturn == 0 else -1, phase))
            nxt += period
            time.sleep(max(0.0, nxt - time.monotonic()))

    poll(a.idle, "idle-before")
    child.stdin.write("go\n"); child.stdin.flush()
    poll(a.load, "load")
    if child.wait():  # a trace whose load phase ended early would be read as one of the whole load
        sys.exit(f"record_nvml_trace.py: {load} failed while recording, no trace written: {last_error(child, load_err)}")
    poll(a.idle, "idle-after")
    with open(a.out, "w") as f:
        f.write(f"# gpu={nvml.nvmlDeviceGetName(h)} driver={nvml.nvmlSystemGetDriverVersion()} "
                f"limit_mw={nvml.nvmlDeviceGetEnforcedPowerLimit(h)} load={a.model} fp16 batch {a.batch} "
                f"hz={a.hz}\n")
        f.write("t_ns,energy_mj,power_mw,phase\n")
        for r in rows:
            f.write("%d,%d,%d,%s\n" % r)
    print(f"{len(rows)} samples -> {a.out}")


if __name__ == "__main__":
    main()
