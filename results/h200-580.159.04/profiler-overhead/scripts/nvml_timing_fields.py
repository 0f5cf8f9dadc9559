#!/usr/bin/env python3
"""How long one NVML read takes on this machine, and how much of it is CPU time (busy) vs waiting; also the energy
counter read as field values 83 and 191, checked against nvmlDeviceGetTotalEnergyConsumption."""
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
def field(fid):
    v = nvml.nvmlDeviceGetFieldValues(h, [fid])[0]
    if v.nvmlReturn != 0: raise RuntimeError(f"field {fid}: nvmlReturn {v.nvmlReturn}")
    return v.value.ullVal
for fid in (83, 191):
    try:
        a = nvml.nvmlDeviceGetTotalEnergyConsumption(h); b = field(fid); c = nvml.nvmlDeviceGetTotalEnergyConsumption(h)
        print(json.dumps({"field": fid, "function_before_mj": a, "field_mj": b, "function_after_mj": c}))
        bench(f"field{fid}-energy", lambda: field(fid))
    except Exception as e:
        print(json.dumps({"field": fid, "error": str(e)}))
bench("procs", lambda: nvml.nvmlDeviceGetComputeRunningProcesses(h), 50)
