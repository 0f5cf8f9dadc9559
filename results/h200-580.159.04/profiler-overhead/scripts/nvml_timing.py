#!/usr/bin/env python3
"""How long one NVML read takes on this machine, and how much of it is CPU time (busy) vs waiting."""
import os, time, json, sys
import pynvml as nvml
nvml.nvmlInit(); h = nvml.nvmlDeviceGetHandleByIndex(0)
def bench(name, f, n=500):
    c0 = time.process_time(); t0 = time.perf_counter()
    for _ in range(n): f()
    t1 = time.perf_counter(); c1 = time.process_time()
    print(json.dumps({"call": name, "n": n, "wall_ms_per_call": round((t1-t0)/n*1e3, 4), "cpu_ms_per_call": round((c1-c0)/n*1e3, 4)}))
bench("energy", lambda: nvml.nvmlDeviceGetTotalEnergyConsumption(h))
bench("power", lambda: nvml.nvmlDeviceGetPowerUsage(h))
bench("field186", lambda: nvml.nvmlDeviceGetFieldValues(h, [186]))
bench("temperature", lambda: nvml.nvmlDeviceGetTemperature(h, 0), 200)
bench("smclock", lambda: nvml.nvmlDeviceGetClockInfo(h, 1), 200)
bench("procs", lambda: nvml.nvmlDeviceGetComputeRunningProcesses(h), 50)
