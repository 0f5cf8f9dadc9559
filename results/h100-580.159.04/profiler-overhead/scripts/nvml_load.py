#!/usr/bin/env python3
"""Makes NVML reads on GPU 0 from this process until killed, as one kind of the energy profiler's activity, so that
an `overhead` variant (its -jvm a wrapper starting this beside java) shows what that activity costs the benchmark.

usage: nvml_load.py KIND
  lean        the lean sampler's schedule inside a window: a tick every 25 ms reading the power, the counter on every
              third tick, temperature + SM clock + clock event reasons every 100 ms, the process list once a second
  counter     the energy counter back to back (a core busy, as sampling=continuous)
  counter13   the energy counter every 75 ms, nothing else
  ticks       a 25 ms tick reading the power only (the wake-ups and the cheap reads)
  procs20     the process list 20 times a second
Writes one line at exit (SIGTERM): the kind, the reads made, the seconds and the process's CPU seconds.
"""
import json
import signal
import sys
import time

import pynvml as nvml

kind = sys.argv[1]
nvml.nvmlInit()
h = nvml.nvmlDeviceGetHandleByIndex(0)
reads = {"counter": 0, "power": 0, "slow": 0, "procs": 0}
t_start, c_start = time.monotonic(), time.process_time()


def done(*_):
    print(json.dumps({"nvml_load": kind, "reads": reads, "s": round(time.monotonic() - t_start, 1),
                      "cpu_s": round(time.process_time() - c_start, 2)}), file=sys.stderr, flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, done)
signal.signal(signal.SIGINT, done)


def counter():
    nvml.nvmlDeviceGetTotalEnergyConsumption(h); reads["counter"] += 1


def power():
    # field 186 (instant power), as the sampler reads it; its fallback where the field is missing
    v = nvml.nvmlDeviceGetFieldValues(h, [186])[0]
    if v.nvmlReturn != 0:
        nvml.nvmlDeviceGetPowerUsage(h)
    reads["power"] += 1


def slow():
    nvml.nvmlDeviceGetTemperature(h, nvml.NVML_TEMPERATURE_GPU)
    nvml.nvmlDeviceGetClockInfo(h, nvml.NVML_CLOCK_SM)
    nvml.nvmlDeviceGetCurrentClocksEventReasons(h) if hasattr(nvml, "nvmlDeviceGetCurrentClocksEventReasons") \
        else nvml.nvmlDeviceGetCurrentClocksThrottleReasons(h)
    reads["slow"] += 1


def procs():
    nvml.nvmlDeviceGetComputeRunningProcesses(h); reads["procs"] += 1


# (period s, [(every k-th tick, read)]): ticks in time, each read on its k-th tick
SCHEDULES = {
    "lean": (0.025, [(1, power), (3, counter), (4, slow), (40, procs)]),
    "counter": (0.0, [(1, counter)]),
    "counter13": (0.075, [(1, counter)]),
    "ticks": (0.025, [(1, power)]),
    "procs20": (0.05, [(1, procs)]),
}
if kind not in SCHEDULES:
    sys.exit(f"nvml_load: KIND is one of {', '.join(SCHEDULES)}, not {kind}")
period, plan = SCHEDULES[kind]
tick, nxt = 0, time.monotonic()
while True:
    for every, read in plan:
        if tick % every == 0:
            read()
    tick += 1
    if period:
        nxt += period
        delay = nxt - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        else:
            nxt = time.monotonic()
